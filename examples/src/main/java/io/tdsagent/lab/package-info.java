/**
 * The lab server: a TDS (SQL Server protocol) server on 127.0.0.1, written from MS-TDS, that the real mssql-jdbc
 * driver logs in to. Tests and the demo run it in-process ({@link io.tdsagent.lab.LabServer}); users run it with
 * {@code java -jar examples/target/tds-lab-server.jar --port 1433 --login sa:Secret-1}.
 *
 * <h2>Layers (one job per package)</h2>
 * <ul>
 * <li>{@code lab.transport}: bytes under TDS: the socket input with one shared read-ahead buffer
 * ({@code NetInput}), plain and switchable transports.</li>
 * <li>{@code lab.tls}: the self-signed certificate (BouncyCastle, in memory), server SSLEngines, the handshake
 * driver, TLS inside PRELOGIN packets (TDS 7.x) or straight on TCP (TDS 8), the TLS record transport.</li>
 * <li>{@code lab.wire}: packets (8-byte header, EOM, split and reassembled messages), little-endian encoding.</li>
 * <li>{@code lab.prelogin}: PRELOGIN options and the MS-TDS 2.2.6.5 encryption table.</li>
 * <li>{@code lab.login}: LOGIN7 decoding (password de-obfuscation: XOR 0xA5, then swap nibbles), the
 * {@code Authenticator} (SQL logins today; SSPI/NTLM/Kerberos/FEDAUTH slot in here) and the login response.</li>
 * <li>{@code lab.token}: token writers (ENVCHANGE, INFO, ERROR, LOGINACK, FEATUREEXTACK, DONE).</li>
 * <li>{@code lab.sql}: query router (batches split at top-level semicolons), handlers, procedures, the result
 * model, the built-in catalog ({@code LabCatalog}: typed_rows, big_rows, slow_rows, RAISERROR, WAITFOR, EXEC,
 * ...), the type codec ({@code ValueCodec}: TYPE_INFO and values both ways) and the token writer.</li>
 * <li>{@code lab.rpc}: RPC requests read with their parameter values (several calls per message).</li>
 * <li>{@code lab.session}: one connection's state machine; {@code RequestExecutor} runs SQL batches and RPCs
 * (sp_executesql, sp_prepexec, sp_prepare, sp_execute, sp_unprepare, procedures by name) and streams each
 * response through {@code MessageStream} (packets sent as rows are produced; ATTENTION noticed at token
 * boundaries and during waits); {@code lab.cli}: the command line.</li>
 * <li>{@code lab.smp}: MARS, i.e. SMP (MC-SMP) after login: {@code SmpConnection} reads every SMP packet on the
 * connection's thread and runs each session (SID) on a thread of its own; {@code SmpSession} is a session's
 * transport (one DATA packet per TDS packet, flow control both ways).</li>
 * </ul>
 *
 * <h2>MARS</h2>
 * On by default ({@code builder().mars(false)} or {@code --mars off} to refuse): when a client's PRELOGIN asks for
 * MARS the answer is MARS=1, as SQL Server's, and after LOGINACK the client speaks SMP. Each SMP session gets the
 * same request handling as a plain connection (batches, RPC, streamed results, ATTENTION on its own SID), so
 * requests of different sessions interleave; the database context is shared by the connection's sessions, prepared
 * handles belong to the session. Windows: the server grants 4 DATA packets beyond what it has read, in the WNDW of
 * every packet it sends and with an ACK when a long request has used up all but 2, and never sends beyond the
 * client's window (a large result waits for the client to read: a server-side window stall).
 * {@code builder().marsWindowHold(d)} delays those ACKs by {@code d}, so a request of more than 4 packets stalls the
 * client on demand. After the client's FIN the server answers FIN and sends nothing else on that SID. The only MARS
 * client here is FreeTDS's ODBC driver ({@code MARS_Connection=Yes;TDS_Version=7.4}); mssql-jdbc and jTDS never ask.
 *
 * <h2>What FreeTDS (1.3, ODBC, MARS) requires of a server (learned building this)</h2>
 * <ul>
 * <li>Each SMP DATA packet carries exactly one whole TDS packet (it checks the TDS length against the SMP length).</li>
 * <li>It opens a session with SYN and its first DATA together; it sends no FIN for the connection's first session
 * and closes TCP at disconnect; other sessions end with its FIN, after which anything but the server's FIN for that
 * SID makes it drop the connection. It reuses an SID once the server's FIN has come.</li>
 * <li>It grants a window of 4 beyond the last DATA it has read and ACKs when it has 2 or fewer left; it honours the
 * server's window.</li>
 * <li>pyodbc's default (autocommit off) makes it send a transaction manager request, which the lab refuses: connect
 * with {@code autocommit=True}. At connect it runs {@code sp_datatype_info_100} batches (errors are fine).</li>
 * </ul>
 *
 * <h2>Adding statements and procedures</h2>
 * {@code LabServer.builder().query("SELECT x", handler)}, {@code .queryPattern(regex, handler)} (handlers see the
 * statement's parameters in {@code ctx.parameters()}) and {@code .procedure("dbo.p", List.of("@a", "@b"), body)}.
 * A handler returns a {@code QueryResult}: rows, streamed rows ({@code streamedRows(columns, n, filler)}, never
 * held in memory), errors, infos, completions with a row count and CurCmd, delays. Built-ins live in
 * {@code LabCatalog}.
 *
 * <h2>mssql-jdbc 13.6 connection properties per mode (see {@link io.tdsagent.lab.LabServer#jdbcUrl})</h2>
 * <ul>
 * <li>{@code encrypt=false}: against server encryption OFF this is login-only TLS (the driver always does the TLS
 * handshake unless the server answers ENCRYPT_NOT_SUP, trusts any certificate for it, and drops TLS right after the
 * first LOGIN7 packet). Add {@code trustServerCertificate=true} in case the server forces encryption (ON/REQUIRED):
 * then the certificate is validated.</li>
 * <li>{@code encrypt=true;trustServerCertificate=true}: TLS inside PRELOGIN, then TLS for the whole session. To
 * validate instead: {@code trustStore=<server.trustStoreFile()>;trustStorePassword=tds-lab;trustStoreType=PKCS12;
 * hostNameInCertificate=localhost} ({@code serverCertificate} is ignored outside strict mode).</li>
 * <li>{@code encrypt=strict;serverCertificate=<server.certificatePemFile()>}: TDS 8. Strict mode ignores
 * {@code trustServerCertificate} (forced false); with {@code serverCertificate} the driver compares the server's
 * certificate with the pinned PEM and checks no host name; without it, it needs a trust store and the host name.</li>
 * </ul>
 *
 * <h2>What mssql-jdbc requires of a server (learned building this)</h2>
 * <ul>
 * <li>The PRELOGIN answer must be one packet of type 0x04 with EOM, shorter than 4096 bytes, and carry VERSION
 * (6 bytes, major &ge; 9; &ge; 11 makes the driver use TDS 7.4) and ENCRYPTION (1 byte).</li>
 * <li>In strict mode the PRELOGIN ENCRYPTION answer must not be ENCRYPT_OFF: the driver would then "disable" TLS
 * after the first LOGIN7 packet. The lab answers ENCRYPT_NOT_SUP (the value is ignored in TDS 8).</li>
 * <li>TDS 7.x TLS must be TLS 1.2: the driver's handshake stream only flushes its TDS-framed output when it next
 * reads, and a TLS 1.3 client sends its Finished without reading again.</li>
 * <li>Packets the driver reads may not exceed its current packet size, which is 4096 until it has parsed the
 * login response's ENVCHANGE packet size: the login response goes out in 4096-byte packets, everything after in
 * the negotiated size.</li>
 * <li>FEATUREEXTACK: nothing is required by default. COLUMNENCRYPTION is required only with Always Encrypted on;
 * an ack for a feature the client did not request (FEDAUTH) or an unknown feature id fails the login. The lab
 * acks UTF8_SUPPORT only, and leaves SESSIONRECOVERY unacknowledged (so the driver disables reconnection).</li>
 * <li>On a login failure the first ERROR becomes the SQLException (4060 for an unknown database, 18456 chained as
 * next). 18456 is fatal (no retry); 4060 is not: the driver retries after connectRetryInterval (10 s) if the
 * login timeout leaves room.</li>
 * <li>Attention: when the client cancels a running batch (query timeout), it reads the batch's response up to
 * EOM and then one more message; the server must send the cancelled batch's response (a DONE) and then DONE(ATTN)
 * as a separate message. Once the driver has read a response's EOM it sends no ATTENTION any more.</li>
 * <li>PreparedStatement (13.6, defaults): the first execution is sp_executesql, the second sp_prepexec (handle as
 * RETURNVALUE ordinal 0), later ones sp_execute; {@code enablePrepareOnFirstPreparedStatementCall=true} starts
 * with sp_prepexec. The driver reads the handle only after a RETURNSTATUS: RPC responses must be results
 * (DONEINPROC), RETURNSTATUS, RETURNVALUEs, DONEPROC, and no other RETURNSTATUS may come first.</li>
 * <li>CallableStatement {@code {call p(?, ?, ?)}} is not an RPC by name: it is sp_executesql of
 * {@code EXEC p @P0, @P1, @P2 OUT} ({@code EXEC @P0 = p ...} for {@code {? = call ...}}); OUTPUT values come back
 * as sp_executesql's RETURNVALUEs (ParamOrdinal counts sp_executesql's own two parameters). Named parameters
 * ({@code setInt("a", ..)}) make the driver run {@code EXEC [db].sys.sp_sproc_columns @procedure_name=p, ...}
 * first and read COLUMN_NAME (column 4).</li>
 * <li>executeBatch on a PreparedStatement: sp_executesql and sp_prepexec each in a request of their own, then the
 * remaining rows as several sp_execute calls in one RPC message; update counts come from DONEINPROC with
 * CurCmd INSERT/UPDATE/DELETE and DONE_COUNT.</li>
 * </ul>
 */
package io.tdsagent.lab;
