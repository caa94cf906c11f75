package io.tdsagent.lab.session;

import io.tdsagent.lab.rpc.RpcInvocation;
import io.tdsagent.lab.rpc.RpcParam;
import io.tdsagent.lab.rpc.RpcReader;
import io.tdsagent.lab.sql.BoundParameter;
import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.ProcedureCall;
import io.tdsagent.lab.sql.QueryContext;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.QueryRouter;
import io.tdsagent.lab.sql.ResultWriter;
import io.tdsagent.lab.sql.SqlType;
import io.tdsagent.lab.sql.TokenOutput;
import io.tdsagent.lab.sql.ValueCodec;
import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.TokenType;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.wire.PacketWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a session's requests after login: SQL batches and RPCs (sp_executesql, sp_prepexec,
 * sp_prepare, sp_execute, sp_unprepare, registered procedures by name; several calls per message),
 * streaming each response and honouring ATTENTION while it runs. Holds the session's prepared
 * statement handles.
 *
 * <p>Response shapes (as SQL Server): a batch's statements end with DONE (MORE on all but the
 * last); inside an RPC they end with DONEINPROC, then come RETURNSTATUS, a RETURNVALUE per OUTPUT
 * parameter (ParamOrdinal = the parameter's position in the call, so sp_prepexec's handle is
 * ordinal 0) and DONEPROC (MORE unless it is the message's last call).
 */
final class RequestExecutor {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");
  private static final boolean TRACE = Boolean.getBoolean("tds.lab.trace");

  private static final class Prepared {
    final String sql;
    final String declaration;

    Prepared(String sql, String declaration) {
      this.sql = sql;
      this.declaration = declaration;
    }
  }

  private final QueryRouter router;
  private final QueryContext context;
  private final MessageStream stream;
  private final boolean tds71;
  private final int spid;
  private final Map<Integer, Prepared> prepared = new HashMap<>();
  private int nextHandle = 1;

  /**
   * {@code tdsVersion}: the version in LOGINACK; TDS 7.0/7.1 (jTDS) changes the layout of some
   * tokens.
   */
  RequestExecutor(
      QueryRouter router,
      QueryContext context,
      PacketWriter writer,
      String serverName,
      int tdsVersion,
      boolean plpToOldClients,
      MessageStream.AttentionProbe probe,
      int spid) {
    this.router = router;
    this.context = context;
    this.stream = new MessageStream(writer, serverName, tdsVersion, plpToOldClients, probe);
    this.tds71 = stream.tokens().tds71();
    this.spid = spid;
  }

  /** Number of prepared handles the session holds (tests). */
  int preparedCount() {
    return prepared.size();
  }

  void sqlBatch(String sql) throws IOException {
    if (TRACE) {
      System.err.println("[tds-lab " + spid + "] SQLBatch: " + sql);
    }
    QueryResult result = route(sql, context);
    stream.begin();
    try {
      ResultWriter.writeParts(result.parts(), stream, stream.tokens(), TokenType.DONE, false);
      stream.end();
    } catch (TokenOutput.Cancelled c) {
      stream.endCancelled();
    } catch (RuntimeException e) {
      failMidResponse(e, TokenType.DONE);
    }
  }

  void rpc(byte[] payload) throws IOException {
    List<RpcInvocation> calls;
    try {
      calls = RpcReader.read(payload, !tds71);
    } catch (TdsProtocolException e) {
      LOG.log(Level.FINE, "spid " + spid + ": RPC not understood", e);
      stream.begin();
      stream
          .tokens()
          .error(
              8009,
              1,
              16,
              "The incoming tabular data stream (TDS) remote procedure call (RPC)"
                  + " protocol stream is incorrect. "
                  + e.getMessage());
      stream.tokens().done(TokenType.DONEPROC, Done.ERROR, Done.CMD_NONE, 0);
      stream.end();
      return;
    }
    if (TRACE) {
      System.err.println("[tds-lab " + spid + "] RPC: " + calls);
    }
    stream.begin();
    try {
      for (int i = 0; i < calls.size(); i++) {
        runCall(calls.get(i), i == calls.size() - 1);
      }
      stream.end();
    } catch (TokenOutput.Cancelled c) {
      stream.endCancelled();
    } catch (RuntimeException e) {
      failMidResponse(e, TokenType.DONEPROC);
    }
  }

  /** A handler or row producer failed while the response was being written. */
  private void failMidResponse(RuntimeException e, int doneToken) throws IOException {
    LOG.log(Level.WARNING, "spid " + spid + ": query handler failed", e);
    if (!stream.canRewindToBoundary()) {
      throw new TdsProtocolException("response broken off inside a token: " + e);
    }
    stream.rewindToBoundary();
    stream.tokens().error(50000, 1, 16, "lab server query handler failed: " + e);
    stream.tokens().done(doneToken, Done.ERROR, Done.CMD_NONE, 0);
    stream.end();
  }

  private QueryResult route(String sql, QueryContext ctx) {
    try {
      return router.route(sql, ctx);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "spid " + spid + ": query handler failed", e);
      return QueryResult.error(50000, 1, 16, "lab server query handler failed: " + e);
    }
  }

  // ------------------------------------------------------------------------------------------------ RPC calls

  private void runCall(RpcInvocation call, boolean last) throws IOException {
    List<RpcParam> p = call.params();
    TokenWriter w = stream.tokens();
    switch (call.procId()) {
      case RpcInvocation.SP_EXECUTESQL:
        {
          String sql = text(p, 0);
          String declaration = p.size() > 1 && isText(p.get(1)) ? text(p, 1) : "";
          int first = declaration.isEmpty() && p.size() > 1 && !isText(p.get(1)) ? 1 : 2;
          runStatement(sql, declaration, p, Math.min(first, p.size()), null, last);
          return;
        }
      case RpcInvocation.SP_PREPEXEC:
        {
          int handle = nextHandle++;
          String declaration = text(p, 1);
          String sql = text(p, 2);
          prepared.put(handle, new Prepared(sql, declaration));
          runStatement(sql, declaration, p, Math.min(3, p.size()), handleOutput(p, handle), last);
          return;
        }
      case RpcInvocation.SP_PREPARE:
        {
          int handle = nextHandle++;
          prepared.put(handle, new Prepared(text(p, 2), text(p, 1)));
          finishProc(0, List.of(handleOutput(p, handle)), false, last);
          return;
        }
      case RpcInvocation.SP_EXECUTE:
        {
          int handle =
              p.isEmpty() || p.get(0).value() == null ? -1 : ((Number) p.get(0).value()).intValue();
          Prepared ps = prepared.get(handle);
          if (ps == null) {
            w.error(8179, 4, 16, "Could not find prepared statement with handle " + handle + ".");
            w.done(TokenType.DONEINPROC, Done.ERROR | Done.MORE, Done.CMD_NONE, 0);
            finishProc(0, List.of(), true, last);
            return;
          }
          runStatement(ps.sql, ps.declaration, p, 1, null, last);
          return;
        }
      case RpcInvocation.SP_UNPREPARE:
        {
          if (!p.isEmpty() && p.get(0).value() != null) {
            prepared.remove(((Number) p.get(0).value()).intValue());
          }
          finishProc(0, List.of(), false, last);
          return;
        }
      case 0:
        runProcedure(call, last);
        return;
      default:
        w.error(
            16937,
            1,
            16,
            "The lab server does not run "
                + call.displayName()
                + " (server cursors); use forward-only, read-only result sets.");
        w.done(TokenType.DONEINPROC, Done.ERROR | Done.MORE, Done.CMD_NONE, 0);
        finishProc(0, List.of(), true, last);
    }
  }

  /** The RETURNVALUE of sp_prepexec's / sp_prepare's handle (parameter 0, an int OUTPUT). */
  private static Output handleOutput(List<RpcParam> p, int handle) {
    String name = p.isEmpty() ? "" : p.get(0).name();
    return new Output(0, name, Column.of(name, SqlType.INT), handle);
  }

  /**
   * Runs the statement of sp_executesql / sp_prepexec / sp_execute: binds the values (from {@code
   * firstValue}) to the declared parameters, writes its results with DONEINPROC, then RETURNSTATUS
   * 0, the OUTPUT parameters (after {@code leading}, e.g. the new handle) and DONEPROC.
   */
  private void runStatement(
      String sql,
      String declaration,
      List<RpcParam> p,
      int firstValue,
      Output leading,
      boolean last)
      throws IOException {
    List<String[]> declared = parseDeclaration(declaration);
    Map<String, BoundParameter> bound = new LinkedHashMap<>();
    List<Output> outputs = new ArrayList<>();
    if (leading != null) {
      outputs.add(leading);
    }
    List<Object[]> outputBindings = new ArrayList<>();
    for (int i = firstValue; i < p.size(); i++) {
      RpcParam v = p.get(i);
      int position = i - firstValue;
      String name =
          !v.name().isEmpty()
              ? v.name()
              : position < declared.size() ? declared.get(position)[0] : "@P" + position;
      BoundParameter b = new BoundParameter(name, v.type().named(name), v.isOutput(), v.value());
      bound.put(name.toLowerCase(Locale.ROOT), b);
      if (v.isOutput()) {
        outputBindings.add(new Object[] {v, b});
      }
    }
    QueryResult result = route(sql, new BoundContext(context, bound));
    boolean error =
        ResultWriter.writeParts(
            result.parts(), stream, stream.tokens(), TokenType.DONEINPROC, true);
    for (Object[] ob : outputBindings) {
      RpcParam v = (RpcParam) ob[0];
      BoundParameter b = (BoundParameter) ob[1];
      outputs.add(new Output(v.ordinal(), b.name(), v.type(), b.value()));
    }
    finishProc(0, outputs, error, last);
  }

  /** A registered procedure called by name: arguments by position or by name. */
  private void runProcedure(RpcInvocation call, boolean last) throws IOException {
    TokenWriter w = stream.tokens();
    ProcedureCall.Definition def = router.findProcedure(call.displayName());
    if (def == null) {
      w.error(2812, 62, 16, "Could not find stored procedure '" + call.displayName() + "'.");
      w.done(TokenType.DONEPROC, Done.ERROR | (last ? 0 : Done.MORE), Done.CMD_NONE, 0);
      return;
    }
    List<String> names = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (RpcParam rp : call.params()) {
      names.add(rp.name());
      values.add(rp.value());
    }
    ProcedureCall done;
    try {
      done = def.call(names, values, context);
    } catch (ProcedureCall.ProcedureException e) {
      w.error(e.number, e.state, e.severityClass, e.getMessage());
      w.done(TokenType.DONEPROC, Done.ERROR | (last ? 0 : Done.MORE), Done.CMD_NONE, 0);
      return;
    }
    boolean error =
        ResultWriter.writeParts(done.results().parts(), stream, w, TokenType.DONEINPROC, true);
    List<Output> outputs = new ArrayList<>();
    for (RpcParam rp : call.params()) {
      if (rp.isOutput()) {
        String declared = rp.name().isEmpty() ? def.parameterAt(rp.ordinal()) : rp.name();
        Object v =
            done.outputs().containsKey(key(declared))
                ? done.outputs().get(key(declared))
                : rp.value();
        outputs.add(new Output(rp.ordinal(), declared, rp.type(), v));
      }
    }
    finishProc(done.returnStatus(), outputs, error, last);
  }

  private static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("@") ? n : "@" + n;
  }

  private static final class Output {
    final int ordinal;
    final String name;
    final Column type;
    final Object value;

    Output(int ordinal, String name, Column type, Object value) {
      this.ordinal = ordinal;
      this.name = name;
      this.type = type;
      this.value = value;
    }
  }

  /** RETURNSTATUS, RETURNVALUE per OUTPUT parameter, DONEPROC. */
  private void finishProc(int status, List<Output> outputs, boolean error, boolean last)
      throws IOException {
    TdsBuffer b = stream.buffer();
    b.byte1(TokenType.RETURNSTATUS).int32(status);
    for (Output o : outputs) {
      // RETURNVALUE: ParamOrdinal, ParamName, Status (1: output parameter), UserType, Flags,
      // TYPE_INFO, value
      Column type = o.type.nullable(true);
      b.byte1(TokenType.RETURNVALUE).uint16(o.ordinal).bVarchar(o.name).byte1(0x01);
      ResultWriter.userType(b, tds71);
      b.uint16(0x0001);
      ValueCodec.writeTypeInfo(type, b);
      ValueCodec.writeValue(type, o.value, stream);
    }
    stream
        .tokens()
        .done(
            TokenType.DONEPROC,
            (last ? 0 : Done.MORE) | (error ? Done.ERROR : 0),
            Done.CMD_NONE,
            0);
    stream.tokenBoundary();
  }

  private static boolean isText(RpcParam p) {
    SqlType t = p.type().type();
    return t == SqlType.NVARCHAR || t == SqlType.VARCHAR || t == SqlType.NCHAR || t == SqlType.CHAR;
  }

  private static String text(List<RpcParam> p, int i) {
    if (i >= p.size() || p.get(i).value() == null) {
      return "";
    }
    return p.get(i).value().toString();
  }

  /** "@P0 int,@P1 nvarchar(4000) OUTPUT" into {name, type, "OUTPUT"|""} triples. */
  static List<String[]> parseDeclaration(String declaration) {
    List<String[]> out = new ArrayList<>();
    for (String d : QueryRouter.splitTopLevel(declaration, ',')) {
      String[] parts = d.trim().split(" ", 2);
      String rest = parts.length > 1 ? parts[1].trim() : "";
      boolean output = rest.toUpperCase(Locale.ROOT).matches(".* OUT(PUT)?");
      out.add(new String[] {parts[0], rest, output ? "OUTPUT" : ""});
    }
    return out;
  }

  /** The session's context plus the statement's parameters. */
  private static final class BoundContext implements QueryContext {
    private final QueryContext session;
    private final Map<String, BoundParameter> parameters;

    BoundContext(QueryContext session, Map<String, BoundParameter> parameters) {
      this.session = session;
      this.parameters = parameters;
    }

    @Override
    public String login() {
      return session.login();
    }

    @Override
    public String database() {
      return session.database();
    }

    @Override
    public int spid() {
      return session.spid();
    }

    @Override
    public List<String> databases() {
      return session.databases();
    }

    @Override
    public String useDatabase(String name) {
      return session.useDatabase(name);
    }

    @Override
    public String versionBanner() {
      return session.versionBanner();
    }

    @Override
    public Map<String, BoundParameter> parameters() {
      return parameters;
    }
  }
}
