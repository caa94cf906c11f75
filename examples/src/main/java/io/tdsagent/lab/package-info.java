/**
 * The lab server: a TDS (SQL Server protocol) server on 127.0.0.1, written from MS-TDS, that the
 * real mssql-jdbc driver logs in to. Tests and the demo run it in-process ({@link
 * io.tdsagent.lab.LabServer}); users run it with {@code java -jar
 * examples/target/tds-lab-server.jar --port 1433 --login sa:Secret-1}.
 *
 * <h2>Layers (one job per package)</h2>
 *
 * <ul>
 *   <li>{@code lab.transport}: bytes under TDS: the socket input with one shared read-ahead buffer
 *       ({@code NetInput}), plain and switchable transports.
 *   <li>{@code lab.tls}: the self-signed certificate (BouncyCastle, in memory), server SSLEngines,
 *       the handshake driver, TLS inside PRELOGIN packets (TDS 7.x) or straight on TCP (TDS 8), the
 *       TLS record transport.
 *   <li>{@code lab.wire}: packets (8-byte header, EOM, split and reassembled messages),
 *       little-endian encoding.
 *   <li>{@code lab.prelogin}: PRELOGIN options and the MS-TDS 2.2.6.5 encryption table.
 *   <li>{@code lab.login}: LOGIN7 decoding (password de-obfuscation: XOR 0xA5, then swap nibbles;
 *       TDS 7.1's shorter fixed part), the {@code Authenticator} with its {@code LoginExchange}
 *       (SSPI round trips, step hooks) and the login response.
 *   <li>{@code lab.auth}: {@code LabAuthenticator} picks the leg from LOGIN7: {@code auth.ntlm}
 *       (NTLM acceptor), {@code auth.kerberos} (JGSS acceptor over a keytab), {@code auth.fedauth}
 *       (FEDAUTH SECURITYTOKEN), else SQL logins. {@code lab.kerberos.KerberosLab}: an Apache Kerby
 *       KDC, krb5.conf, JAAS file and keytabs for tests.
 *   <li>{@code lab.token}: token writers (ENVCHANGE, INFO, ERROR, LOGINACK, FEATUREEXTACK, DONE).
 *   <li>{@code lab.sql}: query router (batches split at top-level semicolons), handlers,
 *       procedures, the result model, the built-in catalog ({@code LabCatalog}: typed_rows,
 *       big_rows, slow_rows, RAISERROR, WAITFOR, EXEC, ...), the type codec ({@code ValueCodec}:
 *       TYPE_INFO and values both ways) and the token writer.
 *   <li>{@code lab.rpc}: RPC requests read with their parameter values (several calls per message).
 *   <li>{@code lab.session}: one connection's state machine; {@code RequestExecutor} runs SQL
 *       batches and RPCs (sp_executesql, sp_prepexec, sp_prepare, sp_execute, sp_unprepare,
 *       procedures by name) and streams each response through {@code MessageStream} (packets sent
 *       as rows are produced; ATTENTION noticed at token boundaries and during waits); {@code
 *       lab.cli}: the command line.
 *   <li>{@code lab.smp}: MARS, i.e. SMP (MC-SMP) after login: {@code SmpConnection} reads every SMP
 *       packet on the connection's thread and runs each session (SID) on a thread of its own;
 *       {@code SmpSession} is a session's transport (one DATA packet per TDS packet, flow control
 *       both ways).
 * </ul>
 *
 * <h2>MARS</h2>
 *
 * On by default ({@code builder().mars(false)} or {@code --mars off} to refuse): when a client's
 * PRELOGIN asks for MARS the answer is MARS=1, as SQL Server's, and after LOGINACK the client
 * speaks SMP. Each SMP session gets the same request handling as a plain connection (batches, RPC,
 * streamed results, ATTENTION on its own SID), so requests of different sessions interleave; the
 * database context is shared by the connection's sessions, prepared handles belong to the session.
 * Windows: the server grants 4 DATA packets beyond what it has read, in the WNDW of every packet it
 * sends and with an ACK when a long request has used up all but 2, and never sends beyond the
 * client's window (a large result waits for the client to read: a server-side window stall). {@code
 * builder().marsWindowHold(d)} delays those ACKs by {@code d}, so a request of more than 4 packets
 * stalls the client on demand. After the client's FIN the server answers FIN and sends nothing else
 * on that SID. The only MARS client here is FreeTDS's ODBC driver ({@code
 * MARS_Connection=Yes;TDS_Version=7.4}); mssql-jdbc and jTDS never ask.
 *
 * <h2>What FreeTDS (1.3, ODBC, MARS) requires of a server (learned building this)</h2>
 *
 * <ul>
 *   <li>Each SMP DATA packet carries exactly one whole TDS packet (it checks the TDS length against
 *       the SMP length).
 *   <li>It opens a session with SYN and its first DATA together; it sends no FIN for the
 *       connection's first session and closes TCP at disconnect; other sessions end with its FIN,
 *       after which anything but the server's FIN for that SID makes it drop the connection. It
 *       reuses an SID once the server's FIN has come.
 *   <li>It grants a window of 4 beyond the last DATA it has read and ACKs when it has 2 or fewer
 *       left; it honours the server's window.
 *   <li>pyodbc's default (autocommit off) makes it send a transaction manager request, which the
 *       lab refuses: connect with {@code autocommit=True}. At connect it runs {@code
 *       sp_datatype_info_100} batches (errors are fine).
 * </ul>
 *
 * <h2>Adding statements and procedures</h2>
 *
 * {@code LabServer.builder().query("SELECT x", handler)}, {@code .queryPattern(regex, handler)}
 * (handlers see the statement's parameters in {@code ctx.parameters()}) and {@code
 * .procedure("dbo.p", List.of("@a", "@b"), body)}. A handler returns a {@code QueryResult}: rows,
 * streamed rows ({@code streamedRows(columns, n, filler)}, never held in memory), errors, infos,
 * completions with a row count and CurCmd, delays. Built-ins live in {@code LabCatalog}.
 *
 * <h2>mssql-jdbc 13.6 connection properties per mode (see {@link
 * io.tdsagent.lab.LabServer#jdbcUrl})</h2>
 *
 * <ul>
 *   <li>{@code encrypt=false}: against server encryption OFF this is login-only TLS (the driver
 *       always does the TLS handshake unless the server answers ENCRYPT_NOT_SUP, trusts any
 *       certificate for it, and drops TLS right after the first LOGIN7 packet). Add {@code
 *       trustServerCertificate=true} in case the server forces encryption (ON/REQUIRED): then the
 *       certificate is validated.
 *   <li>{@code encrypt=true;trustServerCertificate=true}: TLS inside PRELOGIN, then TLS for the
 *       whole session. To validate instead: {@code
 *       trustStore=<server.trustStoreFile()>;trustStorePassword=tds-lab;trustStoreType=PKCS12;
 *       hostNameInCertificate=localhost} ({@code serverCertificate} is ignored outside strict
 *       mode).
 *   <li>{@code encrypt=strict;serverCertificate=<server.certificatePemFile()>}: TDS 8. Strict mode
 *       ignores {@code trustServerCertificate} (forced false); with {@code serverCertificate} the
 *       driver compares the server's certificate with the pinned PEM and checks no host name;
 *       without it, it needs a trust store and the host name.
 * </ul>
 *
 * <h2>Integrated and federated authentication</h2>
 *
 * <ul>
 *   <li><b>NTLM</b>: every {@code --login NAME:PASSWORD} ({@code .login(name, pw)}) also logs in
 *       through NTLM under any domain name: {@code
 *       integratedSecurity=true;authenticationScheme=NTLM;domain=LAB;user=NAME;password=PW}
 *       (mssql-jdbc), {@code
 *       jdbc:jtds:sqlserver://127.0.0.1:N/db;domain=LAB;useNTLMv2=true;user=..;password=..} (jTDS;
 *       without useNTLMv2 it sends NTLMv1). The NEGOTIATE comes in the LOGIN7 SSPI field, the
 *       CHALLENGE goes out in an SSPI token (0xED) alone in a message (random server challenge,
 *       target name LAB, AV pairs NetBIOS/DNS domain and computer names and MsvAvTimestamp), the
 *       AUTHENTICATE comes back as an SSPI message (0x11). Verified: NTLMv2 (NTOWFv2 with the
 *       domain as sent, then upper-cased; the MIC when the client flags one), NTLMv1 and NTLMv1
 *       with extended session security. The CHALLENGE's domain: {@code .ntlmDomain("LAB",
 *       "lab.local")} / {@code --ntlm-domain LAB,lab.local}. Login name: <code>DOMAIN&#92;user
 *       </code>.
 *   <li><b>Kerberos</b>: {@code .kerberosKeytab(path)} / {@code --kerberos-keytab FILE}: a JGSS
 *       acceptor (raw krb5 OID 1.2.840.113554.1.2.2 as mssql-jdbc's JavaKerberos sends it, or
 *       SPNEGO) for every principal in the keytab; the AP-REP (mutual authentication) goes first in
 *       the login response, before LOGINACK. {@code KerberosLab} (or {@code --kdc USER:PASSWORD})
 *       runs the realm LAB.LOCAL; see its javadoc for the client's system properties and URL. Login
 *       name: the client principal ({@code alice@LAB.LOCAL}).
 *   <li><b>FEDAUTH</b>: {@code .accessToken(token[, principal])} / {@code --access-token
 *       TOKEN[:PRINCIPAL]}: PRELOGIN FEDAUTHREQUIRED is answered 1, the LOGIN7 FEDAUTH feature
 *       (library SECURITYTOKEN, echo bit, token inline) must carry a configured token,
 *       FEATUREEXTACK acknowledges FEDAUTH with no data.
 *   <li>Failures: 18456 (state 5 unknown user, 8 wrong password or bad MIC, 1 bad access token, 38
 *       unknown database after 4060), 18452 "untrusted domain" when the SSPI exchange itself fails
 *       (unknown mechanism, Kerberos acceptor failure, malformed AUTHENTICATE). Passwords, NT
 *       hashes, NTLM responses and tokens are never logged.
 *   <li>Steps for hooks and {@code delay(Step, Duration)} / {@code --delay step=DURATION}: {@code
 *       SSPI_CHALLENGE} (before the CHALLENGE: a slow domain controller), {@code SSPI_AUTHENTICATE}
 *       (before verifying), {@code KERBEROS} (before accepting the AP-REQ), {@code FEDAUTH} (before
 *       checking the token).
 * </ul>
 *
 * <h2>What the drivers need for these legs (learned building this)</h2>
 *
 * <ul>
 *   <li>mssql-jdbc NTLM: the CHALLENGE must carry TargetInfo ending in MsvAvEOL (the driver cuts
 *       the last 4 bytes to add MsvAvFlags), only AV ids 1-9 (others fail the login), and
 *       TargetName right after the 8-byte VERSION (the driver ignores TargetNameOffset). It sends
 *       NTLMv2 with a MIC and MsvAvTargetName, and upper-cases the domain both in the AUTHENTICATE
 *       and in NTOWFv2; jTDS upper-cases it only in NTOWFv2.
 *   <li>mssql-jdbc JavaKerberos: it asks for {@code MSSQLSvc/HOST:PORT} (with {@code realm=} set it
 *       canonicalises 127.0.0.1 to {@code localhost} and appends {@code @REALM}; without it the
 *       driver tries DNS SRV lookups first). Since 13.x {@code useDefaultJaasConfig} is false, so a
 *       JAAS file with a {@code SQLJDBCDriver} entry is needed. It requests credential delegation:
 *       Kerby issues forwarded TGTs without the FORWARDED flag and the JDK then fails with "Message
 *       stream modified (41)", so KerberosLab's krb5.conf says {@code forwardable = false}.
 *   <li>mssql-jdbc accessToken: any FEATUREEXTACK for FEDAUTH must have empty data; the echo bit
 *       repeats the PRELOGIN FEDAUTHREQUIRED answer.
 *   <li>jTDS 1.3.1 speaks TDS 7.1 (LOGIN7 version 0x71000001, 86-byte fixed part, no PRELOGIN at
 *       all with its default {@code ssl=off}): the lab then streams its responses with 4-byte
 *       DONE/DONEPROC/DONEINPROC row counts and a 2-byte UserType in COLMETADATA and RETURNVALUE,
 *       and reads SQL batches and RPCs without ALL_HEADERS (batched RPC calls are separated by
 *       0x80, not 0xFF). PreparedStatement uses sp_prepare (handle as RETURNVALUE) then sp_execute
 *       by ProcID; {@code {call p(?)}} is an RPC by name. It cannot read TDS 7.2+ types
 *       (date/time/datetime2, MAX types, xml), which the lab does not downgrade. After login it
 *       runs {@code SELECT @@MAX_PRECISION} plus SET statements in one batch and reads one value.
 *       On a cancel it reports the cancelled batch's bare DONE(ERROR) as "unspecified error" and
 *       chains the attention ack as HY008. Its PRELOGIN reader (ssl=request) takes option data in
 *       option order right after the table and reads ENCRYPTION from the second option. With
 *       ssl=request (login-only TLS) jTDS wraps its handshake in 0x12 packets itself, sends LOGIN7
 *       through its SSLSocket, then closes that socket, and the JDK's close skips every byte
 *       already received: the lab waits {@code Session.LOGIN_ONLY_TLS_GRACE_MS} before the login
 *       response to such a client, or the response could be lost (jTDS then waits for its login
 *       timeout).
 * </ul>
 *
 * <h2>What mssql-jdbc requires of a server (learned building this)</h2>
 *
 * <ul>
 *   <li>The PRELOGIN answer must be one packet of type 0x04 with EOM, shorter than 4096 bytes, and
 *       carry VERSION (6 bytes, major &ge; 9; &ge; 11 makes the driver use TDS 7.4) and ENCRYPTION
 *       (1 byte).
 *   <li>In strict mode the PRELOGIN ENCRYPTION answer must not be ENCRYPT_OFF: the driver would
 *       then "disable" TLS after the first LOGIN7 packet. The lab answers ENCRYPT_NOT_SUP (the
 *       value is ignored in TDS 8).
 *   <li>TDS 7.x TLS must be TLS 1.2: the driver's handshake stream only flushes its TDS-framed
 *       output when it next reads, and a TLS 1.3 client sends its Finished without reading again.
 *   <li>Packets the driver reads may not exceed its current packet size, which is 4096 until it has
 *       parsed the login response's ENVCHANGE packet size: the login response goes out in 4096-byte
 *       packets, everything after in the negotiated size.
 *   <li>FEATUREEXTACK: nothing is required by default. COLUMNENCRYPTION is required only with
 *       Always Encrypted on; an ack for a feature the client did not request (FEDAUTH) or an
 *       unknown feature id fails the login. The lab acks UTF8_SUPPORT, FEDAUTH when it was
 *       requested and accepted, and leaves SESSIONRECOVERY unacknowledged (so the driver disables
 *       reconnection).
 *   <li>On a login failure the first ERROR becomes the SQLException (4060 for an unknown database,
 *       18456 chained as next). 18456 is fatal (no retry); 4060 is not: the driver retries after
 *       connectRetryInterval (10 s) if the login timeout leaves room.
 *   <li>Attention: when the client cancels a running batch (query timeout), it reads the batch's
 *       response up to EOM and then one more message; the server must send the cancelled batch's
 *       response (a DONE) and then DONE(ATTN) as a separate message. Once the driver has read a
 *       response's EOM it sends no ATTENTION any more.
 *   <li>PreparedStatement (13.6, defaults): the first execution is sp_executesql, the second
 *       sp_prepexec (handle as RETURNVALUE ordinal 0), later ones sp_execute; {@code
 *       enablePrepareOnFirstPreparedStatementCall=true} starts with sp_prepexec. The driver reads
 *       the handle only after a RETURNSTATUS: RPC responses must be results (DONEINPROC),
 *       RETURNSTATUS, RETURNVALUEs, DONEPROC, and no other RETURNSTATUS may come first.
 *   <li>CallableStatement {@code {call p(?, ?, ?)}} is not an RPC by name: it is sp_executesql of
 *       {@code EXEC p @P0, @P1, @P2 OUT} ({@code EXEC @P0 = p ...} for {@code {? = call ...}});
 *       OUTPUT values come back as sp_executesql's RETURNVALUEs (ParamOrdinal counts
 *       sp_executesql's own two parameters). Named parameters ({@code setInt("a", ..)}) make the
 *       driver run {@code EXEC [db].sys.sp_sproc_columns @procedure_name=p, ...} first and read
 *       COLUMN_NAME (column 4).
 *   <li>executeBatch on a PreparedStatement: sp_executesql and sp_prepexec each in a request of
 *       their own, then the remaining rows as several sp_execute calls in one RPC message; update
 *       counts come from DONEINPROC with CurCmd INSERT/UPDATE/DELETE and DONE_COUNT.
 * </ul>
 */
package io.tdsagent.lab;
