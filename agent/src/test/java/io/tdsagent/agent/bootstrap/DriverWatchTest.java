package io.tdsagent.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import io.tdsagent.agent.instrumentation.r2dbc.R2dbcInstrumentation;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DriverWatchTest {
  @Test
  void watchesExactlyTheClassesTheInstrumentationsTransform() {
    Set<String> transformed =
        Stream.concat(
                Stream.of(
                    MssqlJdbcInstrumentation.TDS_CHANNEL,
                    MssqlJdbcInstrumentation.CONNECTION,
                    MssqlJdbcInstrumentation.RESULT_SET,
                    MssqlJdbcInstrumentation.STATEMENT,
                    MssqlJdbcInstrumentation.SOCKET_CONNECTOR,
                    MssqlJdbcInstrumentation.SOCKET_FINDER,
                    JtdsInstrumentation.SHARED_SOCKET,
                    R2dbcInstrumentation.TDS_ENCODER,
                    R2dbcInstrumentation.TDS_SSL_HANDLER,
                    R2dbcInstrumentation.SSL_EVENT_HANDLER,
                    R2dbcInstrumentation.STREAM_DECODER,
                    R2dbcInstrumentation.CLIENT),
                JtdsInstrumentation.CALL_CLASSES.stream())
            .map(n -> n.replace('.', '/'))
            .collect(Collectors.toSet());
    assertEquals(transformed, DriverWatch.HOOKED);
  }

  @Test
  void otherClassesAreNotTouchedAndActivateNothing() {
    DriverWatch w = new DriverWatch(null);
    byte[] bytes = {1, 2, 3};
    assertEquals(null, w.transform(null, null, "java/lang/String", null, null, bytes));
    assertEquals(null, w.transform(null, null, null, null, null, bytes));
    assertEquals(
        null,
        w.transform(null, null, "com/microsoft/sqlserver/jdbc/SQLServerDriver", null, null, bytes));
  }
}
