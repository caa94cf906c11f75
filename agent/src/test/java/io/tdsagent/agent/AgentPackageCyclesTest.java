package io.tdsagent.agent;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * No package of the agent module depends, directly or through others, on a package that depends
 * back on it: each package can be read, tested and replaced without the ones above it. Reads this
 * module's compiled main classes (the working directory is the module's), so a cycle that a new
 * import closes fails the build.
 */
class AgentPackageCyclesTest {
  @Test
  void packagesAreFreeOfCycles() {
    Path mainClasses = Paths.get("target", "classes");
    JavaClasses classes = new ClassFileImporter().importPath(mainClasses);
    slices().matching("io.tdsagent.(**)").should().beFreeOfCycles().check(classes);
  }
}
