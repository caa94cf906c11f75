package io.tdsagent.lab.session;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.Faults;
import io.tdsagent.lab.LabConfig;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.login.FeatureAcks;
import io.tdsagent.lab.login.Login7;
import io.tdsagent.lab.login.Login7Parser;
import io.tdsagent.lab.login.LoginExchange;
import io.tdsagent.lab.login.LoginOutcome;
import io.tdsagent.lab.login.LoginResponse;
import io.tdsagent.lab.prelogin.EncryptionNegotiation;
import io.tdsagent.lab.prelogin.PreloginOption;
import io.tdsagent.lab.prelogin.PreloginRequest;
import io.tdsagent.lab.prelogin.PreloginResponse;
import io.tdsagent.lab.smp.SmpConnection;
import io.tdsagent.lab.smp.SmpHeader;
import io.tdsagent.lab.smp.SmpSession;
import io.tdsagent.lab.sql.QueryContext;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultWriter;
import io.tdsagent.lab.tls.PreloginFramedHandshakeIo;
import io.tdsagent.lab.tls.RawHandshakeIo;
import io.tdsagent.lab.tls.TlsContexts;
import io.tdsagent.lab.tls.TlsHandshake;
import io.tdsagent.lab.tls.TlsTransport;
import io.tdsagent.lab.token.Done;
import io.tdsagent.lab.token.ServerMessage;
import io.tdsagent.lab.token.TokenWriter;
import io.tdsagent.lab.transport.NetInput;
import io.tdsagent.lab.transport.PlainTransport;
import io.tdsagent.lab.transport.PrefixedTransport;
import io.tdsagent.lab.transport.SwitchableTransport;
import io.tdsagent.lab.wire.PacketHeader;
import io.tdsagent.lab.wire.PacketReader;
import io.tdsagent.lab.wire.PacketType;
import io.tdsagent.lab.wire.PacketWriter;
import io.tdsagent.lab.wire.TdsBuffer;
import io.tdsagent.lab.wire.TdsMessage;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;

/**
 * One client connection, from the first byte to close: optional TLS-first (TDS 8), PRELOGIN,
 * optional TLS inside PRELOGIN (TDS 7.x), LOGIN7, then requests. Runs on its own thread.
 */
public final class Session implements Runnable {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");
  private static final int IO_BUFFER = 64 * 1024;

  /**
   * Login-only TLS with a TDS 7.0/7.1 client (jTDS {@code ssl=request}): how long the login
   * response waits. jTDS sends LOGIN7 through its SSLSocket and then closes that socket to go back
   * to plaintext; the JDK's close "depletes" the input, skipping every byte then available on the
   * TCP socket (through jTDS's TdsTlsInputStream). A login response that is already there is lost
   * and jTDS waits until its login timeout.
   */
  static final long LOGIN_ONLY_TLS_GRACE_MS = 200;

  private final Socket socket;
  private final LabConfig config;
  private final TlsContexts tls;
  private final int spid;
  private final Runnable onClose;

  private NetInput net;
  private OutputStream out;
  private PlainTransport plain;
  private SwitchableTransport channel;
  private PacketReader reader;
  private PacketWriter writer;

  private final java.util.concurrent.atomic.AtomicLong marsSessions;
  private final QueryContext context = new Context();
  private volatile int tdsVersion = LoginResponse.TDS_7_4;

  private volatile String login;
  private volatile String database;
  private boolean marsAgreed;
  private int packetSize = PacketHeader.INITIAL_PACKET_SIZE;

  public Session(
      Socket socket,
      LabConfig config,
      TlsContexts tls,
      int spid,
      Runnable onClose,
      java.util.concurrent.atomic.AtomicLong marsSessions) {
    this.socket = socket;
    this.config = config;
    this.tls = tls;
    this.spid = spid;
    this.onClose = onClose;
    this.marsSessions = marsSessions;
  }

  public int spid() {
    return spid;
  }

  /** Closes the socket; the session thread then ends. */
  public void abort() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      net = new NetInput(socket.getInputStream(), IO_BUFFER);
      out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER);
      plain = new PlainTransport(net, out);
      channel = new SwitchableTransport(plain);
      reader = new PacketReader(channel, config.maxMessageBytes());
      writer = new PacketWriter(channel, spid);
      converse();
    } catch (IOException e) {
      if (!socket.isClosed()) {
        LOG.log(Level.FINE, "spid " + spid + ": connection ends: " + e);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "spid " + spid + ": unexpected failure", e);
    } finally {
      abort();
      onClose.run();
    }
  }

  private void converse() throws IOException {
    int first = net.peek();
    if (first < 0) {
      return;
    }
    boolean strict = false;
    if (first == PacketType.LOGIN7 && config.encryption() != Encryption.REQUIRED) {
      // TDS 7.1 clients may skip PRELOGIN (jTDS with ssl=off, its default): no TLS at all.
      if (login(false)) {
        serveAfterLogin();
      }
      return;
    }
    if (first == PacketType.TLS_HANDSHAKE_RECORD) {
      if (config.encryption() == Encryption.NOT_SUPPORTED) {
        LOG.fine(
            () -> "spid " + spid + ": TLS-first (TDS 8) client refused: encryption not supported");
        return;
      }
      hook(Step.TLS_HANDSHAKE);
      if (config.faults().tlsAlert() >= 0) {
        refuseTlsFirst();
        return;
      }
      SSLEngine engine = tls.newStrictEngine();
      TlsHandshake.run(
          engine, new RawHandshakeIo(net, out, engine.getSession().getPacketBufferSize()));
      channel.switchTo(new TlsTransport(engine, net, out));
      strict = true;
    } else if (first != PacketType.PRELOGIN) {
      throw new TdsProtocolException(
          String.format("first byte 0x%02X is neither PRELOGIN nor TLS", first));
    }

    hook(Step.PRELOGIN);
    TdsMessage m = reader.readMessage();
    if (m == null) {
      return;
    }
    expect(m, PacketType.PRELOGIN);
    PreloginRequest prelogin = PreloginRequest.parse(m.payload());
    EncryptionNegotiation negotiation =
        strict ? null : EncryptionNegotiation.negotiate(config.encryption(), prelogin.encryption());
    // TDS 8: the client's value is ignored (MS-TDS 2.2.6.5); never answer ENCRYPT_OFF there,
    // mssql-jdbc would
    // drop TLS after the first LOGIN7 packet.
    int answer = strict ? PreloginOption.ENCRYPT_NOT_SUP : negotiation.response();
    writer.writeMessage(PacketType.TABULAR_RESULT, preloginResponse(prelogin, answer));
    if (negotiation != null) {
      LOG.fine(
          () ->
              "spid "
                  + spid
                  + ": client "
                  + PreloginOption.encryptionName(prelogin.encryption())
                  + ", server "
                  + config.encryption()
                  + " -> "
                  + negotiation);
    }

    boolean loginOnlyTls = false;
    if (!strict) {
      switch (negotiation.mode()) {
        case TERMINATE:
          return;
        case LOGIN_ONLY:
        case FULL:
          hook(Step.TLS_HANDSHAKE);
          if (config.faults().tlsAlert() >= 0) {
            reader.readMessage(); // the ClientHello, in PRELOGIN packets
            writer.writeMessage(PacketType.PRELOGIN, new TdsBuffer(8).bytes(tlsAlertRecord()));
            closeCleanly();
            return;
          }
          SSLEngine engine = tls.newTds7Engine();
          PreloginFramedHandshakeIo io = new PreloginFramedHandshakeIo(reader, writer);
          TlsHandshake.run(engine, io);
          if (io.leftover() != 0) {
            throw new TdsProtocolException(io.leftover() + " stray bytes after the TLS handshake");
          }
          channel.switchTo(new TlsTransport(engine, net, out));
          loginOnlyTls = negotiation.mode() == EncryptionNegotiation.Mode.LOGIN_ONLY;
          break;
        default:
          break;
      }
    }

    if (!login(loginOnlyTls)) {
      return;
    }
    serveAfterLogin();
  }

  private void serveAfterLogin() throws IOException {
    if (!marsAgreed) {
      serveRequests(reader, writer, this::inputPending);
      return;
    }
    // MARS agreed: the client now speaks SMP (its first byte is SMID 0x53); a client that stays on
    // plain TDS
    // is served as without MARS.
    byte[] first = new byte[1];
    if (!channel.readFully(first, 0, 1)) {
      return;
    }
    PrefixedTransport in = new PrefixedTransport(first, channel);
    if ((first[0] & 0xFF) != SmpHeader.SMID) {
      PacketReader plainReader = new PacketReader(in, config.maxMessageBytes());
      serveRequests(plainReader, writer, () -> in.buffered() > 0 || inputPending());
      return;
    }
    new SmpConnection(
            in,
            this::serveSmpSession,
            "tds-lab-spid-" + spid,
            packetSize,
            config.marsWindowHold(),
            this::abort,
            marsSessions)
        .run();
  }

  /**
   * One MARS session: the same request handling as a plain connection, over the session's own
   * streams.
   */
  private void serveSmpSession(SmpSession smp) throws IOException {
    PacketWriter w = new PacketWriter(smp, spid);
    w.packetSize(packetSize);
    serveRequests(new PacketReader(smp, config.maxMessageBytes()), w, smp::inputPending);
  }

  private TdsBuffer preloginResponse(PreloginRequest request, int encryption) {
    PreloginResponse r =
        new PreloginResponse()
            .version(config.versionMajor(), config.versionMinor(), config.versionBuild(), 0)
            .option(PreloginOption.ENCRYPTION, (byte) encryption);
    String instance = request.instance();
    boolean instanceOk =
        instance.isEmpty()
            || instance.equalsIgnoreCase(config.instanceName())
            || instance.equalsIgnoreCase("MSSQLServer");
    r.option(PreloginOption.INSTOPT, (byte) (instanceOk ? 0 : 1));
    r.option(PreloginOption.THREADID); // empty from the server (MS-TDS 2.2.6.5)
    marsAgreed = config.mars() && request.marsRequested();
    r.option(PreloginOption.MARS, (byte) (marsAgreed ? 1 : 0));
    if (request.fedAuthRequiredOption()) {
      r.option(
          PreloginOption.FEDAUTHREQUIRED, (byte) config.authenticator().preloginFedAuthRequired());
    }
    return r.encode();
  }

  private boolean login(boolean loginOnlyTls) throws IOException {
    hook(Step.LOGIN);
    // Login-only encryption: the client sends just the first LOGIN7 packet through TLS, then
    // plaintext.
    TdsMessage m =
        reader.readMessage(
            (type, status, index) -> {
              if (loginOnlyTls && index == 1) {
                TlsTransport t = (TlsTransport) channel.current();
                if (t.buffered() != 0) {
                  throw new TdsProtocolException("TLS data after the first LOGIN7 packet");
                }
                channel.switchTo(plain);
              }
            });
    if (m == null) {
      return false;
    }
    expect(m, PacketType.LOGIN7);
    Login7 login7 = Login7Parser.parse(m.payload());
    LOG.fine(() -> "spid " + spid + ": " + login7);
    LoginOutcome authenticated;
    try {
      authenticated = config.authenticator().authenticate(login7, new Exchange());
    } finally {
      login7.clearPassword();
    }
    hook(Step.LOGIN_RESPONSE);
    Faults faults = config.faults();
    LoginOutcome outcome =
        authenticated.succeeded() && faults.loginErrorNumber() > 0
            ? LoginOutcome.failure(
                new ServerMessage(
                    faults.loginErrorNumber(),
                    faults.loginErrorState(),
                    14,
                    "Login failed for user '" + authenticated.login() + "'."))
            : authenticated;
    if (loginOnlyTls && TokenWriter.isTds71(login7.tdsVersion())) {
      try {
        Thread.sleep(LOGIN_ONLY_TLS_GRACE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted before the login response");
      }
    }
    TokenWriter w = new TokenWriter(new TdsBuffer(512), config.serverName());
    if (!outcome.succeeded()) {
      LOG.fine(() -> "spid " + spid + ": login refused: " + outcome.errors());
      writer.writeMessage(
          PacketType.TABULAR_RESULT,
          LoginResponse.failure(w, outcome.errors()),
          PacketHeader.INITIAL_PACKET_SIZE);
      return false;
    }
    login = outcome.login();
    database = outcome.database();
    LoginResponse.Success s = new LoginResponse.Success();
    s.database = database;
    s.tdsVersion = LoginResponse.negotiateTdsVersion(login7.tdsVersion());
    s.programName = config.programName();
    s.major = config.versionMajor();
    s.minor = config.versionMinor();
    s.build = config.versionBuild();
    s.packetSize = LoginResponse.negotiatePacketSize(login7.packetSize());
    s.featureAcks = login7.features().isEmpty() ? null : FeatureAcks.forRequest(login7.features());
    if (!outcome.featureAcks().isEmpty()) {
      s.featureAcks.putAll(outcome.featureAcks());
    }
    s.sspiToken = outcome.sspiToken();
    s.routeHost = faults.routeHost();
    s.routePort = faults.routePort();
    tdsVersion = s.tdsVersion;
    w.tdsVersion(tdsVersion);
    // The client only learns the new packet size from this response: send it in 4096-byte packets.
    writer.writeMessage(
        PacketType.TABULAR_RESULT, LoginResponse.success(w, s), PacketHeader.INITIAL_PACKET_SIZE);
    writer.packetSize(s.packetSize);
    packetSize = s.packetSize;
    if (s.routeHost != null) {
      LOG.fine(() -> "spid " + spid + ": routed to " + s.routeHost + ":" + s.routePort);
      return false; // the client reconnects to the routed server
    }
    return true;
  }

  /** Whether the client has sent bytes not read yet; must not block. */
  private interface InputCheck {
    boolean pending() throws IOException;
  }

  private void serveRequests(PacketReader reader, PacketWriter writer, InputCheck input)
      throws IOException {
    RequestExecutor executor =
        new RequestExecutor(
            config.router(),
            context,
            writer,
            config.serverName(),
            tdsVersion,
            config.faults().plpToOldClients(),
            () -> attentionArrived(reader, input),
            spid);
    TdsBuffer buffer = new TdsBuffer(4096);
    while (true) {
      TdsMessage m = reader.readMessage();
      if (m == null) {
        return;
      }
      buffer.reset();
      TokenWriter w =
          new TokenWriter(buffer, config.serverName())
              .tdsVersion(tdsVersion)
              .plpToOldClients(config.faults().plpToOldClients());
      switch (m.type()) {
        case PacketType.SQL_BATCH:
          hook(Step.SQL_BATCH);
          // Streams its own response; an ATTENTION while it runs cancels it (see MessageStream).
          executor.sqlBatch(batchText(m.payload(), !w.tds71()));
          continue;
        case PacketType.RPC:
          executor.rpc(m.payload());
          continue;
        case PacketType.ATTENTION:
          w.done(Done.ATTN, Done.CMD_NONE, 0);
          break;
        case PacketType.TRANSACTION_MANAGER:
          ResultWriter.write(
              QueryResult.error(
                  8510, 1, 16, "The lab server does not support transaction manager requests."),
              w);
          break;
        default:
          throw new TdsProtocolException("unexpected " + m + " after login");
      }
      writer.writeMessage(PacketType.TABULAR_RESULT, buffer);
    }
  }

  /**
   * The client may only send an ATTENTION while a request runs (with MARS: on that request's
   * session): if it has sent anything, reads it (it must be an ATTENTION) and returns true.
   */
  private static boolean attentionArrived(PacketReader reader, InputCheck input)
      throws IOException {
    if (!input.pending()) {
      return false;
    }
    TdsMessage next = reader.readMessage();
    if (next == null) {
      throw new java.io.EOFException("connection closed while a request ran");
    }
    expect(next, PacketType.ATTENTION);
    return true;
  }

  /** True if the client has sent bytes we have not read (buffered, decrypted, or in the socket). */
  private boolean inputPending() throws IOException {
    if (net.available() > 0 || socket.getInputStream().available() > 0) {
      return true;
    }
    return channel.current() instanceof TlsTransport
        && ((TlsTransport) channel.current()).buffered() > 0;
  }

  /**
   * SQLBatch: ALL_HEADERS (TDS 7.2+ only, its TotalLength includes itself), then the UTF-16LE text.
   */
  static String batchText(byte[] payload, boolean allHeaders) throws TdsProtocolException {
    int start = 0;
    if (allHeaders && payload.length >= 4) {
      int total =
          (payload[0] & 0xFF)
              | ((payload[1] & 0xFF) << 8)
              | ((payload[2] & 0xFF) << 16)
              | ((payload[3] & 0xFF) << 24);
      if (total < 4 || total > payload.length) {
        throw new TdsProtocolException("SQLBatch ALL_HEADERS TotalLength " + total);
      }
      start = total;
    }
    return new String(payload, start, payload.length - start, StandardCharsets.UTF_16LE);
  }

  private static void expect(TdsMessage m, int type) throws TdsProtocolException {
    if (m.type() != type) {
      throw new TdsProtocolException("expected " + PacketType.name(type) + ", got " + m);
    }
  }

  private void hook(Step step) throws IOException {
    if (config.hook() != null) {
      config.hook().before(step, spid);
    }
    Faults.End end = config.faults().endBefore(step);
    if (end == Faults.End.CLOSE) {
      closeCleanly();
      throw new java.io.EOFException("closed before " + step + " (as configured)");
    } else if (end == Faults.End.RESET) {
      socket.setSoLinger(true, 0); // close() then sends RST, not FIN
      socket.close();
      throw new java.net.SocketException("reset before " + step + " (as configured)");
    }
  }

  /**
   * FIN first: a close with unread client bytes in the receive buffer would send RST instead, so
   * the output is shut (FIN) before what the client sent is drained and the socket closed.
   */
  private void closeCleanly() throws IOException {
    out.flush();
    socket.shutdownOutput();
    socket.setSoTimeout(200);
    try {
      byte[] sink = new byte[4096];
      while (socket.getInputStream().read(sink) > 0) {
        // the client's unread bytes, discarded
      }
    } catch (IOException e) {
      // timed out or reset: close anyway
    }
    socket.close();
  }

  /**
   * A fatal alert record (RFC 8446 6.2): content type 21, legacy version 3.3, length 2, level 2,
   * description.
   */
  private byte[] tlsAlertRecord() {
    return new byte[] {21, 3, 3, 0, 2, 2, (byte) config.faults().tlsAlert()};
  }

  /** TDS 8: the ClientHello is a bare TLS record; read it whole, answer with the alert, close. */
  private void refuseTlsFirst() throws IOException {
    byte[] header = new byte[5];
    readFully(header);
    byte[] body = new byte[((header[3] & 0xFF) << 8) | (header[4] & 0xFF)];
    readFully(body);
    out.write(tlsAlertRecord());
    closeCleanly();
  }

  private void readFully(byte[] b) throws IOException {
    for (int n = 0; n < b.length; ) {
      int r = net.read(b, n, b.length - n);
      if (r < 0) {
        throw new java.io.EOFException("client closed during its ClientHello");
      }
      n += r;
    }
  }

  /** SSPI round trips and hooks for the authenticator, on this connection. */
  private final class Exchange implements LoginExchange {
    @Override
    public byte[] sspiRoundTrip(byte[] token) throws IOException {
      TokenWriter w = new TokenWriter(new TdsBuffer(token.length + 8), config.serverName());
      w.sspi(token);
      writer.writeMessage(PacketType.TABULAR_RESULT, w.buffer(), PacketHeader.INITIAL_PACKET_SIZE);
      TdsMessage answer = reader.readMessage();
      if (answer == null) {
        return null;
      }
      expect(answer, PacketType.SSPI);
      return answer.payload();
    }

    @Override
    public void step(Step step) throws IOException {
      hook(step);
    }

    @Override
    public int spid() {
      return spid;
    }
  }

  private final class Context implements QueryContext {
    @Override
    public String login() {
      return login;
    }

    @Override
    public String database() {
      return database;
    }

    @Override
    public int spid() {
      return spid;
    }

    @Override
    public List<String> databases() {
      return config.databases();
    }

    @Override
    public String useDatabase(String name) {
      for (String db : config.databases()) {
        if (db.equalsIgnoreCase(name)) {
          database = db;
          return db;
        }
      }
      return null;
    }

    @Override
    public String versionBanner() {
      return config.versionBanner();
    }
  }
}
