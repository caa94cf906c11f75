package io.tdsagent.replay;

import io.tdsagent.tds.sql.SqlText;
import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.conversation.Phase;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpTdsEvent;
import io.tdsagent.tds.event.SmpWindowStallEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.prelogin.EncryptionMode;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.tds.request.BulkLoadRequest;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.request.RpcCall;
import io.tdsagent.tds.request.RpcRequest;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.request.TransactionManagerRequest;
import io.tdsagent.tds.tls.ClientHello;
import io.tdsagent.tds.tls.ServerHello;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.EnvChangeType;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one TCP connection of a capture showed, turned into spans: a {@code SQL Server connection} root (TCP
 * facts: who closed, how, whether abnormally, which side the capture was taken on), a {@code SQL Server login}
 * with a child per phase, a span per request, and a {@code mars session} per SMP session with its requests.
 * Requests and sessions are written as they end; the login when it ends; the root last.
 *
 * <p>Attribute names are the agent's ({@code db.*}, {@code server.*}, {@code error.type}, {@code tls.*},
 * {@code tds.*}). Memory: a few values, one pending request per exchange, and at most 64 sessions.
 */
final class ConnectionTrace implements io.tdsagent.tds.conversation.TdsEventListener {
    static final String ROOT = "SQL Server connection";
    static final String LOGIN = "SQL Server login";
    static final int MAX_QUERY_CHARS = 2000;
    private static final int MAX_NOTES = 16;
    /** Below this a gap says nothing about where the capture was taken. */
    private static final long SIDE_MIN_DIFF_NANOS = 50_000;

    private final Consumer<Span> out;
    private final SplittableRandom ids;
    private final String traceId;
    private final String rootId;
    private final String clientAddress;
    private final long clientPort;
    private final String serverAddress;
    private final long serverPort;
    private Supplier<Phase> phase = () -> Phase.INITIAL;

    // TCP
    private long first = Long.MAX_VALUE;
    private long last;
    private long syn;
    private long synAck;
    private long ack;
    private Direction finFirst;
    private long finNanos;
    private Direction rst;
    private long rstNanos;
    private long gaps;
    private long gapBytes;
    private long retransmissions;
    private String closeContext;
    private boolean closeAbnormal;

    // login
    private Prelogin preloginClient;
    private Prelogin preloginServer;
    private long preloginStart = -1;
    private long preloginEnd;
    private long tlsStart = -1;
    private long tlsEnd;
    private ClientHello clientHello;
    private ServerHello serverHello;
    private Login7 login7;
    private long login7Start = -1;
    private long login7End;
    private long responseStart = -1;
    private long responseEnd;
    private LoginAck loginAck;
    private LoginOutcomeEvent outcome;
    private boolean loginWritten;
    private String database;

    // after the login
    private final Exchange main;
    private final Map<Integer, MarsSession> sessions = new HashMap<>();
    private long requests;
    private long failedRequests;
    private long marsSessions;
    private boolean mars;
    private final List<String> notes = new ArrayList<>();

    /** Literals in SQL text are replaced by {@code ?} unless {@code --raw-sql}, as the agent does by default. */
    private boolean rawSql;

    ConnectionTrace rawSql(boolean raw) {
        this.rawSql = raw;
        return this;
    }

    ConnectionTrace(String client, String server, long seed, Consumer<Span> out) {
        this.out = out;
        this.ids = new SplittableRandom(seed);
        this.traceId = hex(ids.nextLong()) + hex(ids.nextLong());
        this.rootId = spanId();
        int c = client.lastIndexOf(':');
        int s = server.lastIndexOf(':');
        this.clientAddress = unbracket(client.substring(0, c));
        this.clientPort = Long.parseLong(client.substring(c + 1));
        this.serverAddress = unbracket(server.substring(0, s));
        this.serverPort = Long.parseLong(server.substring(s + 1));
        this.main = new Exchange(-1, rootId);
    }

    /** Where the decoder's phase is read from when the connection closes. */
    void phaseSource(Supplier<Phase> phase) {
        this.phase = phase;
    }

    // ---- TCP facts, from the replayer ------------------------------------------------------------

    void seen(long t) {
        first = Math.min(first, t);
        last = Math.max(last, t);
    }

    /** The last packet or event time of this connection; 0 if none. */
    long lastSeen() {
        return last;
    }

    void handshake(long synNanos, long synAckNanos, long ackNanos) {
        syn = synNanos;
        synAck = synAckNanos;
        ack = ackNanos;
        seen(synNanos);
        seen(ackNanos);
    }

    void fin(Direction d, long t) {
        seen(t);
        if (finFirst == null && rst == null) {
            finFirst = d;
            finNanos = t;
            judgeClose(d, "FIN");
        }
    }

    void reset(Direction d, long t) {
        seen(t);
        if (rst == null) {
            rst = d;
            rstNanos = t;
            if (finFirst == null) {
                closeAbnormal = true;
                judgeClose(d, "RST");
            } else if (finFirst != d) {
                closeAbnormal = true;
            }
            // else: the side that had already closed cleanly (nothing outstanding, judged at its FIN) resets
            // what is left, as mssql-jdbc and tedious do; the connection still ended normally
        }
    }

    void gap(Direction d, long bytes, long t) {
        gaps++;
        gapBytes += bytes;
        note("tcp: " + bytes + " bytes missing from the capture " + (d == Direction.CLIENT_TO_SERVER ? "client to server"
                : "server to client") + "; decoding of this connection stopped there");
    }

    void retransmission() {
        retransmissions++;
    }

    /** Who stopped what, from the state when the first FIN or RST arrived. */
    private void judgeClose(Direction d, String kind) {
        String who = d == Direction.CLIENT_TO_SERVER ? "client" : "server";
        Phase p = phase.get();
        boolean loginUnderWay = outcome == null && (p == Phase.PRELOGIN || p == Phase.TLS_HANDSHAKE || p == Phase.LOGIN7
                || p == Phase.LOGIN_RESPONSE);
        if (loginUnderWay) {
            closeContext = who + " " + kind + " during the " + phaseName(p);
            closeAbnormal = true;
            return;
        }
        Pending open = outstanding();
        if (open != null) {
            closeContext = who + " " + kind + (open.responseStart >= 0 ? " mid-response" : " with a request unanswered");
            closeAbnormal = true;
        } else if (kind.equals("RST")) {
            closeContext = who + " RST";
        }
    }

    private Pending outstanding() {
        if (main.pending != null) {
            return main.pending;
        }
        for (MarsSession m : sessions.values()) {
            if (m.exchange.pending != null) {
                return m.exchange.pending;
            }
        }
        return null;
    }

    private static String phaseName(Phase p) {
        switch (p) {
            case PRELOGIN: return "PRELOGIN exchange";
            case TLS_HANDSHAKE: return "TLS handshake";
            case LOGIN7: return "LOGIN7";
            default: return "login response";
        }
    }

    void note(String s) {
        if (notes.size() < MAX_NOTES) {
            notes.add(s);
        }
    }

    // ---- decoder events ----------------------------------------------------------------------------

    @Override
    public void onEvent(TdsEvent e) {
        seen(e.timeNanos());
        if (e instanceof SmpTdsEvent) {
            SmpTdsEvent s = (SmpTdsEvent) e;
            MarsSession m = sessions.get(s.sid());
            if (m == null) {
                m = openSession(s.sid(), s.timeNanos(), true);
            }
            if (s.event() instanceof DecodeErrorEvent) {
                DecodeErrorEvent d = (DecodeErrorEvent) s.event();
                note("sid " + s.sid() + " " + d.layer() + ": " + d.reason());
            } else {
                exchange(m.exchange, s.event());
            }
            return;
        }
        if (e instanceof PreloginEvent) {
            PreloginEvent p = (PreloginEvent) e;
            if (p.direction() == Direction.CLIENT_TO_SERVER) {
                preloginClient = p.prelogin();
            } else {
                preloginServer = p.prelogin();
            }
        } else if (e instanceof PhaseEvent) {
            PhaseEvent p = (PhaseEvent) e;
            switch (p.phase()) {
                case PRELOGIN: preloginStart = p.startNanos(); preloginEnd = p.endNanos(); break;
                case TLS_HANDSHAKE: tlsStart = p.startNanos(); tlsEnd = p.endNanos(); break;
                case LOGIN7: login7Start = p.startNanos(); login7End = p.endNanos(); break;
                case LOGIN_RESPONSE: responseStart = p.startNanos(); responseEnd = p.endNanos(); break;
                default: break;
            }
        } else if (e instanceof TlsHandshakeEvent) {
            Object m = ((TlsHandshakeEvent) e).message();
            if (m instanceof ClientHello) {
                clientHello = (ClientHello) m;
            } else if (m instanceof ServerHello) {
                serverHello = (ServerHello) m;
            }
        } else if (e instanceof Login7Event) {
            login7 = ((Login7Event) e).login7();
            if (login7Start < 0) {
                login7Start = ((Login7Event) e).firstByteNanos();
            }
        } else if (e instanceof LoginOutcomeEvent) {
            outcome = (LoginOutcomeEvent) e;
            if (outcome.ack() != null) {
                loginAck = outcome.ack();
            }
            writeLogin(e.timeNanos());
        } else if (e instanceof SmpSessionEvent) {
            SmpSessionEvent s = (SmpSessionEvent) e;
            mars = true;
            if (s.kind() == SmpSessionEvent.Kind.OPENED) {
                openSession(s.sid(), s.openNanos(), s.joined());
            } else {
                closeSession(s);
            }
        } else if (e instanceof SmpWindowStallEvent) {
            SmpWindowStallEvent w = (SmpWindowStallEvent) e;
            MarsSession m = sessions.get(w.sid());
            if (m != null) {
                m.stalls++;
                m.stallNanos += w.durationNanos();
            }
        } else if (e instanceof DecodeErrorEvent) {
            DecodeErrorEvent d = (DecodeErrorEvent) e;
            note(d.layer() + ": " + d.reason());
        } else {
            exchange(main, e);
        }
    }

    private void exchange(Exchange x, TdsEvent e) {
        if (e instanceof TokenEvent) {
            Object t = ((TokenEvent) e).token();
            if (t instanceof EnvChange && ((EnvChange) t).getEnvType() == EnvChangeType.DATABASE) {
                database = ((EnvChange) t).getNewValue();
            } else if (t instanceof LoginAck && outcome == null) {
                loginAck = (LoginAck) t;
            }
        } else if (e instanceof RequestEvent) {
            RequestEvent r = (RequestEvent) e;
            if (r.request() instanceof AttentionRequest) {
                if (x.pending != null) {
                    x.pending.cancelled = true;
                }
                return;
            }
            if (x.pending != null) {
                writeRequest(x, null, e.timeNanos()); // its response never ended
            }
            x.pending = new Pending(r);
        } else if (e instanceof ResponseStartEvent) {
            if (x.pending == null) {
                x.pending = new Pending(null); // joined mid-response
                x.pending.first = e.timeNanos();
            }
            x.pending.responseStart = e.timeNanos();
        } else if (e instanceof ResponseEndEvent) {
            if (x.pending == null) {
                x.pending = new Pending(null);
                x.pending.first = ((ResponseEndEvent) e).startNanos();
                x.pending.responseStart = ((ResponseEndEvent) e).startNanos();
            }
            writeRequest(x, (ResponseEndEvent) e, e.timeNanos());
        }
    }

    private MarsSession openSession(int sid, long t, boolean joined) {
        MarsSession m = new MarsSession(sid, spanId(), t, joined);
        sessions.put(sid, m);
        marsSessions++;
        mars = true;
        return m;
    }

    private void closeSession(SmpSessionEvent s) {
        MarsSession m = sessions.remove(s.sid());
        if (m == null) {
            return;
        }
        if (m.exchange.pending != null) {
            writeRequest(m.exchange, null, s.timeNanos());
        }
        Span.Builder b = Span.builder(traceId, m.spanId, rootId, "mars session").time(m.open, s.timeNanos())
                .attr("db.system.name", "microsoft.sql_server")
                .attr("tds.smp.sid", (long) s.sid())
                .attr("tds.smp.joined", s.joined() ? Boolean.TRUE : null)
                .attr("tds.smp.requests", m.requests)
                .attr("tds.smp.client_data_packets", s.clientDataPackets())
                .attr("tds.smp.server_data_packets", s.serverDataPackets())
                .attr("tds.smp.closed_by", s.firstFin() == null ? "connection" : side(s.firstFin()) + " FIN")
                .attr("tds.smp.fin_both_ways", s.finBothWays());
        if (m.stalls > 0) {
            b.attr("tds.smp.window_stalls", m.stalls).attr("tds.smp.window_stall_ms", ms(m.stallNanos));
        }
        out.accept(b.build());
    }

    // ---- spans -------------------------------------------------------------------------------------

    private void writeRequest(Exchange x, ResponseEndEvent end, long t) {
        Pending p = x.pending;
        x.pending = null;
        requests++;
        if (x.session != null) {
            x.session.requests++;
        }
        Request q = p.request != null ? p.request.request() : end != null ? end.request() : null;
        String name = "response";
        Span.Builder b;
        String text = null;
        String summary = null;
        String operation = null;
        String procedure = null;
        long rpcCalls = 0;
        if (q instanceof SqlBatch) {
            text = ((SqlBatch) q).getText();
            summary = SqlSummary.summary(text);
            operation = SqlSummary.operation(text);
            name = summary != null ? summary : "SQL batch";
        } else if (q instanceof RpcRequest) {
            List<RpcCall> calls = ((RpcRequest) q).getCalls();
            rpcCalls = calls.size();
            if (!calls.isEmpty()) {
                RpcCall c = calls.get(0);
                procedure = c.getProcName();
                text = c.getStatementText();
                summary = text != null ? SqlSummary.summary(text) : null;
                operation = text != null ? SqlSummary.operation(text) : null;
            }
            name = procedure != null && !procedure.isEmpty() ? procedure : "RPC";
        } else if (q instanceof TransactionManagerRequest) {
            name = "transaction manager";
        } else if (q instanceof BulkLoadRequest) {
            name = "bulk load";
        } else if (q != null) {
            name = q.getPacketType().name().toLowerCase(Locale.ROOT);
        }
        long start = p.request != null ? p.request.firstByteNanos() : p.first;
        b = Span.builder(traceId, spanId(), x.parentId, name).kind(Span.Kind.CLIENT).time(start, t)
                .attr("db.system.name", "microsoft.sql_server")
                .attr("server.address", serverAddress).attr("server.port", serverPort)
                .attr("db.namespace", database)
                .attr("db.operation.name", operation)
                .attr("db.stored_procedure.name", procedure)
                .attr("db.query.summary", summary)
                .attr("db.query.text", shorten(rawSql || text == null ? text : SqlText.sanitize(text), MAX_QUERY_CHARS))
                .attr("tds.rpc.calls", rpcCalls > 1 ? rpcCalls : null)
                .attr("tds.smp.sid", x.sid >= 0 ? (long) x.sid : null);
        if (p.request != null) {
            b.attr("tds.request.bytes", p.request.messageBytes());
            if (p.responseStart >= 0) {
                b.attr("tds.server_time_ms", ms(p.responseStart - p.request.lastByteNanos()));
            }
        }
        if (p.responseStart >= 0) {
            b.attr("tds.transfer_time_ms", ms(t - p.responseStart));
        }
        if (p.cancelled) {
            b.attr("tds.cancelled", true);
        }
        if (end != null) {
            b.attr("db.response.returned_rows", end.rowCount())
                    .attr("tds.done_row_count", end.doneRowCount())
                    .attr("tds.result_sets", (long) end.resultSetCount())
                    .attr("tds.response.bytes", end.responseBytes());
            if (end.hasReturnStatus()) {
                b.attr("tds.return_status", (long) end.returnStatus());
            }
            if (!end.complete()) {
                b.attr("tds.response.complete", false);
            }
            ServerMessage err = end.firstError();
            if (err != null) {
                b.error(err.getMessage()).attr("db.response.status_code", Long.toString(err.getNumber()))
                        .attr("error.type", Long.toString(err.getNumber()))
                        .attr("tds.error.class", (long) err.getSeverity()).attr("tds.error.state", (long) err.getState());
                failedRequests++;
            } else if (end.failed()) {
                b.error("the server reported an error (DONE_ERROR)").attr("error.type", "done_error");
                failedRequests++;
            } else if (!end.complete() && (finFirst != null || rst != null)) {
                b.error("the connection closed before the response ended")
                        .attr("error.type", rst != null ? "connection_reset" : "connection_closed");
                failedRequests++;
            }
        } else if (finFirst != null || rst != null) {
            b.error("the connection closed before the response ended")
                    .attr("error.type", rst != null ? "connection_reset" : "connection_closed");
            failedRequests++;
        } else {
            b.attr("tds.response.seen", false); // the capture ended first: nothing to blame the server for
        }
        out.accept(b.build());
    }

    private void writeLogin(long t) {
        if (loginWritten) {
            return;
        }
        boolean seenLogin = preloginStart >= 0 || tlsStart >= 0 || login7Start >= 0 || outcome != null;
        if (!seenLogin) {
            return;
        }
        loginWritten = true;
        String loginId = spanId();
        long start = syn > 0 ? syn : firstOf(preloginStart, tlsStart, login7Start, t);
        long end = responseStart >= 0 ? Math.max(responseEnd, responseStart) : t;
        if (outcome != null) {
            end = Math.max(end, outcome.timeNanos());
        }
        Span.Builder root = Span.builder(traceId, loginId, rootId, LOGIN).kind(Span.Kind.CLIENT).time(start, end)
                .attr("db.system.name", "microsoft.sql_server")
                .attr("server.address", serverAddress).attr("server.port", serverPort)
                .attr("client.address", clientAddress).attr("client.port", clientPort);
        String db = database != null ? database : login7 != null ? emptyToNull(login7.getDatabase()) : null;
        root.attr("db.namespace", db);
        if (login7 != null) {
            root.attr("db.user", emptyToNull(login7.getUserName()))
                    .attr("tds.application_name", emptyToNull(login7.getAppName()))
                    .attr("tds.library_name", emptyToNull(login7.getClientInterfaceName()))
                    .attr("tds.version.requested", TdsVersion.name(login7.getTdsVersion()))
                    .attr("tds.auth.method", login7.isIntSecurity() ? "integrated" : "sql");
        }
        if (preloginClient != null && preloginClient.getTraceId() != null) {
            root.attr("tds.client_connection_id", String.valueOf(preloginClient.getTraceId().getConnectionId()));
        }
        root.attr("tds.encryption.negotiated", negotiatedEncryption());
        if (serverHello != null) {
            root.attr("tls.protocol.version", tlsVersion(serverHello.getSelectedVersionName()))
                    .attr("tls.cipher", serverHello.getCipherSuiteName());
        }
        if (loginAck != null) {
            root.attr("tds.version", TdsVersion.name(loginAck.getTdsVersion()))
                    .attr("tds.server.product", loginAck.getProgName())
                    .attr("tds.server.product_version", loginAck.getProgVersion());
        }
        String result;
        ServerMessage error = outcome != null ? outcome.error() : null;
        if (outcome == null) {
            result = phase.get() == Phase.ENCRYPTED ? "encrypted" : "unknown";
        } else {
            result = outcome.outcome().name().toLowerCase(Locale.ROOT);
        }
        root.attr("tds.login.outcome", result);
        if (outcome != null && outcome.routingServer() != null) {
            root.attr("tds.routing.server", outcome.routingServer()).attr("tds.routing.port", (long) outcome.routingPort());
        }
        if (outcome != null && outcome.outcome() == LoginOutcomeEvent.Outcome.FAILURE) {
            root.error(error != null ? error.getMessage() : "login failed")
                    .attr("error.type", error != null ? Long.toString(error.getNumber()) : "login_failed");
            errorAttributes(root, error);
        } else if (outcome != null && outcome.outcome() == LoginOutcomeEvent.Outcome.ABORTED) {
            root.error("connection closed before the login completed").attr("error.type", "connection_closed");
        }
        if (syn > 0 && ack > 0) {
            out.accept(Span.builder(traceId, spanId(), loginId, "tcp connect").time(syn, ack)
                    .attr("server.address", serverAddress).attr("server.port", serverPort)
                    .attr("tds.tcp.syn_to_syn_ack_ms", ms(synAck - syn))
                    .attr("tds.tcp.syn_ack_to_ack_ms", ms(ack - synAck)).build());
        }
        if (preloginStart >= 0) {
            out.accept(Span.builder(traceId, spanId(), loginId, "prelogin").time(preloginStart, preloginEnd)
                    .attr("tds.prelogin.client_version", preloginClient != null ? String.valueOf(preloginClient.getVersion()) : null)
                    .attr("tds.prelogin.server_version", preloginServer != null ? String.valueOf(preloginServer.getVersion()) : null)
                    .attr("tds.encryption.requested", encryption(preloginClient))
                    .attr("tds.encryption.server", encryption(preloginServer))
                    .attr("tds.mars.requested", preloginClient != null ? preloginClient.getMars() : null)
                    .attr("tds.instance", preloginClient != null ? emptyToNull(preloginClient.getInstance()) : null)
                    .build());
        }
        if (tlsStart >= 0) {
            Span.Builder b = Span.builder(traceId, spanId(), loginId, "tls handshake").time(tlsStart, tlsEnd)
                    .attr("tls.protocol.name", "tls");
            if (serverHello != null) {
                b.attr("tls.protocol.version", tlsVersion(serverHello.getSelectedVersionName()))
                        .attr("tls.cipher", serverHello.getCipherSuiteName());
            }
            if (clientHello != null) {
                b.attr("tls.server.name", clientHello.getServerName());
            }
            out.accept(b.build());
        }
        if (login7Start >= 0) {
            Span.Builder b = Span.builder(traceId, spanId(), loginId, "login7")
                    .time(login7Start, responseStart >= 0 ? login7End : Math.max(login7Start, end));
            if (login7 != null) {
                b.attr("db.user", emptyToNull(login7.getUserName()))
                        .attr("tds.database.requested", emptyToNull(login7.getDatabase()))
                        .attr("tds.version.requested", TdsVersion.name(login7.getTdsVersion()))
                        .attr("tds.packet_size.requested", login7.getPacketSize())
                        .attr("tds.application_name", emptyToNull(login7.getAppName()))
                        .attr("tds.library_name", emptyToNull(login7.getClientInterfaceName()))
                        .attr("tds.client.host_name", emptyToNull(login7.getHostName()));
            } else {
                b.attr("tds.login7.encrypted", true);
            }
            out.accept(b.build());
        }
        if (responseStart >= 0) {
            boolean failed = outcome != null && outcome.outcome() == LoginOutcomeEvent.Outcome.FAILURE;
            Span.Builder b = Span.builder(traceId, spanId(), loginId, failed ? "login error" : "loginack")
                    .time(responseStart, responseEnd);
            if (loginAck != null) {
                b.attr("tds.version", TdsVersion.name(loginAck.getTdsVersion()))
                        .attr("tds.server.product", loginAck.getProgName())
                        .attr("tds.server.product_version", loginAck.getProgVersion())
                        .attr("db.namespace", database);
            }
            if (failed) {
                b.error(error != null ? error.getMessage() : "login failed")
                        .attr("error.type", error != null ? Long.toString(error.getNumber()) : "login_failed");
                errorAttributes(b, error);
            }
            out.accept(b.build());
        }
        out.accept(root.build());
    }

    /** The connection ended (FIN both ways, RST, or the end of the capture): writes what is left and the root. */
    void close(long t) {
        seen(t);
        if (main.pending != null) {
            writeRequest(main, null, t);
        }
        for (Integer sid : new ArrayList<>(sessions.keySet())) {
            closeSession(new SmpSessionEvent(SmpSessionEvent.Kind.CLOSED, sid, sessions.get(sid).open,
                    sessions.get(sid).joined, null, false, 0, 0, t));
        }
        writeLogin(t);
        long start = syn > 0 ? syn : first == Long.MAX_VALUE ? t : first;
        Span.Builder b = Span.builder(traceId, rootId, null, ROOT).kind(Span.Kind.CLIENT).time(start, last)
                .attr("db.system.name", "microsoft.sql_server")
                .attr("server.address", serverAddress).attr("server.port", serverPort)
                .attr("client.address", clientAddress).attr("client.port", clientPort)
                .attr("network.transport", "tcp")
                .attr("db.user", login7 != null ? emptyToNull(login7.getUserName()) : null)
                .attr("db.namespace", database != null ? database : login7 != null ? emptyToNull(login7.getDatabase()) : null)
                .attr("tds.version", loginAck != null ? TdsVersion.name(loginAck.getTdsVersion()) : null)
                .attr("tds.joined_mid_session", !loginWritten ? Boolean.TRUE : null)
                .attr("tds.requests", requests)
                .attr("tds.requests.failed", failedRequests > 0 ? failedRequests : null)
                .attr("tds.mars", mars ? Boolean.TRUE : null)
                .attr("tds.smp.sessions", mars ? marsSessions : null);
        String close = rst != null && (finFirst == null || rstNanos <= finNanos) ? side(rst) + " RST"
                : finFirst != null ? side(finFirst) + " FIN" : "capture end";
        b.attr("tds.tcp.close", close)
                .attr("tds.tcp.close_initiator", rst != null && finFirst == null ? side(rst) : finFirst != null ? side(finFirst) : "none")
                .attr("tds.tcp.close_abnormal", closeAbnormal);
        if (closeContext != null) {
            b.attr("tds.tcp.close_reason", closeContext);
        } else if (rst != null) {
            b.attr("tds.tcp.close_reason", side(rst) + " RST after " + (finFirst != null ? side(finFirst) + " FIN" : "no FIN"));
        }
        if (syn > 0 && ack > 0) {
            b.attr("tds.tcp.syn_to_syn_ack_ms", ms(synAck - syn)).attr("tds.tcp.syn_ack_to_ack_ms", ms(ack - synAck));
        }
        b.attr("tds.capture.side", captureSide());
        if (gaps > 0) {
            b.attr("tds.tcp.gaps", gaps).attr("tds.tcp.gap_bytes", gapBytes);
        }
        if (retransmissions > 0) {
            b.attr("tds.tcp.retransmissions", retransmissions);
        }
        if (!notes.isEmpty()) {
            b.attr("tds.decode_error", String.join("; ", notes));
        }
        if (closeAbnormal) {
            b.error("connection ended abnormally: " + (closeContext != null ? closeContext : close))
                    .attr("error.type", rst != null ? "connection_reset" : "connection_closed");
        }
        out.accept(b.build());
    }

    /**
     * A capture on the client shows the round trip between SYN and SYN-ACK and none between SYN-ACK and ACK; on
     * the server it is the other way round.
     */
    String captureSide() {
        if (syn <= 0 || ack <= 0) {
            return "unknown";
        }
        long a = synAck - syn;
        long b = ack - synAck;
        if (a > 3 * b && a - b >= SIDE_MIN_DIFF_NANOS) {
            return "client";
        }
        if (b > 3 * a && b - a >= SIDE_MIN_DIFF_NANOS) {
            return "server";
        }
        return "unknown";
    }

    /** MS-TDS 2.2.6.5: the client's and the server's ENCRYPTION values decide what is encrypted. */
    private String negotiatedEncryption() {
        if (preloginClient == null || preloginServer == null) {
            return tlsStart >= 0 && preloginStart < 0 ? "strict" : null;
        }
        EncryptionMode c = preloginClient.getEncryption();
        EncryptionMode s = preloginServer.getEncryption();
        if (c == null || s == null) {
            return null;
        }
        if (c == EncryptionMode.NOT_SUP || s == EncryptionMode.NOT_SUP) {
            return "off";
        }
        if (c == EncryptionMode.OFF && s == EncryptionMode.OFF) {
            return "login_only";
        }
        return "on";
    }

    private static void errorAttributes(Span.Builder b, ServerMessage error) {
        if (error != null) {
            b.attr("db.response.status_code", Long.toString(error.getNumber()))
                    .attr("tds.error.state", (long) error.getState())
                    .attr("tds.error.class", (long) error.getSeverity())
                    .attr("tds.error.message", error.getMessage());
        }
    }

    private static String encryption(Prelogin p) {
        return p == null || p.getEncryption() == null ? null : p.getEncryption().name();
    }

    private static String tlsVersion(String name) {
        if (name == null) {
            return null;
        }
        String s = name.trim();
        return s.startsWith("TLSv") || s.startsWith("TLS ") ? s.substring(4) : s;
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }

    private static String side(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? "client" : "server";
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    private static long firstOf(long... times) {
        for (long t : times) {
            if (t >= 0) {
                return t;
            }
        }
        return 0;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String unbracket(String a) {
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }

    private String spanId() {
        long v;
        do {
            v = ids.nextLong();
        } while (v == 0);
        return hex(v);
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0000000000000000".substring(h.length()) + h;
    }

    String traceId() {
        return traceId;
    }

    /** One request/response stream: the connection's own, or a MARS session's. */
    private static final class Exchange {
        final int sid;
        final String parentId;
        MarsSession session;
        Pending pending;

        Exchange(int sid, String parentId) {
            this.sid = sid;
            this.parentId = parentId;
        }
    }

    private static final class Pending {
        final RequestEvent request;
        long first;
        long responseStart = -1;
        boolean cancelled;

        Pending(RequestEvent request) {
            this.request = request;
        }
    }

    private static final class MarsSession {
        final String spanId;
        final long open;
        final boolean joined;
        final Exchange exchange;
        long requests;
        long stalls;
        long stallNanos;

        MarsSession(int sid, String spanId, long open, boolean joined) {
            this.spanId = spanId;
            this.open = open;
            this.joined = joined;
            this.exchange = new Exchange(sid, spanId);
            this.exchange.session = this;
        }
    }
}
