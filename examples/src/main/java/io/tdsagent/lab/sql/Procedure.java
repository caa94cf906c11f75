package io.tdsagent.lab.sql;

/**
 * A stored procedure the lab runs (by RPC name, or by EXEC inside a batch or sp_executesql). It
 * reads its arguments, sets OUTPUT parameters, may add result sets and messages, and returns its
 * RETURN status.
 *
 * <pre>{@code
 * router.procedure("dbo.add_numbers", List.of("@a", "@b", "@sum"), (call, ctx) -> {
 *     call.output("@sum", ((Number) call.arg("@a")).intValue() + ((Number) call.arg("@b")).intValue());
 *     return 0;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Procedure {
  int run(ProcedureCall call, QueryContext context);
}
