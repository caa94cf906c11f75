package io.tdsagent.agent.instrumentation.r2dbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.agent.instrumentation.hook.HookCheck;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** The build's r2dbc-mssql (the version the README names) has every hook the advice expects. */
class R2dbcHookCheckTest {
  @Test
  void r2dbcMssql10HasEveryHook() {
    Map<String, HookCheck> checks =
        Map.of(
            R2dbcInstrumentation.TDS_ENCODER, R2dbcInstrumentation.ENCODER_CHECK,
            R2dbcInstrumentation.TDS_SSL_HANDLER, R2dbcInstrumentation.SSL_CHECK,
            R2dbcInstrumentation.SSL_EVENT_HANDLER, R2dbcInstrumentation.EVENT_CHECK,
            R2dbcInstrumentation.STREAM_DECODER, R2dbcInstrumentation.DECODER_CHECK,
            R2dbcInstrumentation.CLIENT, R2dbcInstrumentation.CLIENT_CHECK);
    checks.forEach(
        (name, check) -> {
          TypeDescription type = TypePool.Default.ofSystemLoader().describe(name).resolve();
          assertEquals(List.of(), check.missing(type), name);
        });
  }

  @Test
  void anotherClassMissesThem() { // (Object has a no-argument constructor)
    assertEquals(
        List.of("decode(ByteBuf,MessageDecoder)"),
        R2dbcInstrumentation.DECODER_CHECK.missing(TypeDescription.ForLoadedType.of(Object.class)));
  }
}
