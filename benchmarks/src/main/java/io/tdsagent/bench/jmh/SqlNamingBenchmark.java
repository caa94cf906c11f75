package io.tdsagent.bench.jmh;

import io.tdsagent.tds.sql.SqlText;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What naming a request span costs the export thread (QueryNaming: sanitised text, summary,
 * operation, collection), per request, for a short and a typical statement.
 *
 * <pre>
 * java -jar benchmarks/target/tds-benchmarks.jar SqlNamingBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlNamingBenchmark {
  @Param({
    "SELECT 1",
    "SELECT o.id, o.customer_id, o.total FROM dbo.orders o WHERE o.status = N'open' AND o.created > '2024-01-01' ORDER BY o.id"
  })
  public String sql;

  @Benchmark
  public void naming(Blackhole bh) {
    String sanitized = SqlText.sanitize(sql);
    String summary = SqlText.summary(sql);
    bh.consume(sanitized);
    bh.consume(summary);
    bh.consume(SqlText.operation(summary));
    bh.consume(SqlText.collection(summary));
  }
}
