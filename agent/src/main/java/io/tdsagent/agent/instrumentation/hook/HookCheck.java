package io.tdsagent.agent.instrumentation.hook;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The methods and fields a driver class must have for the advice to fit. Checked before the class
 * is touched: a driver version that does not fit is named in one log line and left alone.
 */
public final class HookCheck {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private final String driver;
  private final String className;
  private final Map<ElementMatcher<? super MethodDescription>, String> methods =
      new LinkedHashMap<>();
  private final List<String> fields = new ArrayList<>();

  public HookCheck(String driver, String className) {
    this.driver = driver;
    this.className = className;
  }

  public HookCheck require(ElementMatcher<? super MethodDescription> matcher, String description) {
    methods.put(matcher, description);
    return this;
  }

  public HookCheck requireField(String name) {
    fields.add(name);
    return this;
  }

  /** What is missing, in declaration order; empty when every hook fits. */
  public List<String> missing(TypeDescription type) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<ElementMatcher<? super MethodDescription>, String> m : methods.entrySet()) {
      if (type.getDeclaredMethods().filter(m.getKey()).size() != 1) {
        missing.add(m.getValue());
      }
    }
    for (String f : fields) {
      if (type.getDeclaredFields()
          .filter(net.bytebuddy.matcher.ElementMatchers.named(f))
          .isEmpty()) {
        missing.add("field " + f);
      }
    }
    return missing;
  }

  /** True when the hooks fit; otherwise says so (once per class load) and returns false. */
  public boolean fits(TypeDescription type, ProtectionDomain domain) {
    List<String> missing = missing(type);
    if (missing.isEmpty()) {
      return true;
    }
    logNotTraced(driver, domain, className, missing);
    return false;
  }

  /**
   * The one log line for a driver class the hooks do not fit (Byte Buddy advice and woven hooks
   * alike): the driver, its jar, what is missing.
   */
  public static void logNotTraced(
      String driver, ProtectionDomain domain, String className, List<String> missing) {
    LOG.warning(
        "tds-agent: "
            + driver
            + " "
            + jarName(domain)
            + " does not have the expected "
            + String.join(", ", missing)
            + " in "
            + className
            + "; this driver version is not traced");
  }

  /** The driver's jar file name, which carries its version, for log lines. */
  public static String jarName(ProtectionDomain domain) {
    try {
      if (domain != null
          && domain.getCodeSource() != null
          && domain.getCodeSource().getLocation() != null) {
        return domain.getCodeSource().getLocation().getPath().replaceAll(".*/", "");
      }
    } catch (RuntimeException ignored) {
      // only for the message
    }
    return "(unknown version)";
  }
}
