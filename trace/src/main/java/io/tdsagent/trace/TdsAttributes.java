package io.tdsagent.trace;

/**
 * Every attribute name the model writes, in one place: the OpenTelemetry semantic conventions'
 * names where a convention exists (database, server, network, error; the {@code tls.*} names are
 * still incubating), and {@code tds.*} for what only TDS has. MS-TDS field names throughout. Plain
 * strings, so this module depends on the decoder alone; the agent's tests check them against the
 * conventions' own constants.
 */
public final class TdsAttributes {
  private TdsAttributes() {}

  public static final String DB_SYSTEM_NAME = "db.system.name";
  public static final String DB_SYSTEM_NAME_VALUE = "microsoft.sql_server";
  public static final String DB_NAMESPACE = "db.namespace";
  public static final String DB_RESPONSE_STATUS_CODE = "db.response.status_code";
  public static final String DB_USER = "db.user";
  public static final String DB_QUERY_TEXT = "db.query.text";
  public static final String DB_QUERY_SUMMARY = "db.query.summary";
  public static final String DB_OPERATION_NAME = "db.operation.name";
  public static final String DB_COLLECTION_NAME = "db.collection.name";
  public static final String DB_STORED_PROCEDURE_NAME = "db.stored_procedure.name";

  /** Incubating in the conventions; by value. */
  public static final String RETURNED_ROWS = "db.response.returned_rows";

  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String NETWORK_PEER_ADDRESS = "network.peer.address";
  public static final String NETWORK_PEER_PORT = "network.peer.port";
  public static final String ERROR_TYPE = "error.type";

  public static final String TLS_PROTOCOL_NAME = "tls.protocol.name";
  public static final String TLS_PROTOCOL_VERSION = "tls.protocol.version";
  public static final String TLS_CIPHER = "tls.cipher";
  public static final String TLS_ESTABLISHED = "tls.established";
  public static final String TLS_NEXT_PROTOCOL = "tls.next_protocol";
  public static final String TLS_SERVER_NAME = "tls.server.name";
  public static final String TLS_SERVER_SUBJECT = "tls.server.subject";
  public static final String TLS_SERVER_ISSUER = "tls.server.issuer";
  public static final String TLS_SERVER_NOT_BEFORE = "tls.server.not_before";
  public static final String TLS_SERVER_NOT_AFTER = "tls.server.not_after";
  public static final String TLS_CLIENT_SUPPORTED_CIPHERS = "tls.client.supported_ciphers";
  public static final String TLS_CLIENT_OFFERED_VERSIONS = "tds.tls.client.offered_versions";

  public static final String CLIENT_CONNECTION_ID = "tds.client_connection_id";
  public static final String ACTIVITY_ID = "tds.activity_id";
  public static final String SPID = "tds.spid";
  public static final String TDS_VERSION = "tds.version";
  public static final String TDS_VERSION_REQUESTED = "tds.version.requested";
  public static final String SERVER_PRODUCT = "tds.server.product";
  public static final String SERVER_PRODUCT_VERSION = "tds.server.product_version";
  public static final String PRELOGIN_CLIENT_VERSION = "tds.prelogin.client_version";
  public static final String PRELOGIN_SERVER_VERSION = "tds.prelogin.server_version";
  public static final String ENCRYPTION_REQUESTED = "tds.encryption.requested";
  public static final String ENCRYPTION_OFFERED = "tds.encryption.server";
  public static final String ENCRYPTION_NEGOTIATED = "tds.encryption.negotiated";
  public static final String STRICT = "tds.strict";
  public static final String MARS_REQUESTED = "tds.mars.requested";
  public static final String FEDAUTH_REQUIRED = "tds.fedauth.required";
  public static final String INSTANCE = "tds.instance";
  public static final String APPLICATION_NAME = "tds.application_name";
  public static final String LIBRARY_NAME = "tds.library_name";
  public static final String CLIENT_HOST_NAME = "tds.client.host_name";
  public static final String CLIENT_PID = "tds.client.pid";
  public static final String PACKET_SIZE = "tds.packet_size";
  public static final String PACKET_SIZE_REQUESTED = "tds.packet_size.requested";
  public static final String DATABASE_REQUESTED = "tds.database.requested";
  public static final String READ_ONLY_INTENT = "tds.login.read_only_intent";
  public static final String INTEGRATED_SECURITY = "tds.login.integrated_security";
  public static final String CHANGE_PASSWORD = "tds.login.change_password";
  public static final String FEATURES = "tds.login.feature_extensions";
  public static final String AUTH_METHOD = "tds.auth.method";
  public static final String LOGIN_OUTCOME = "tds.login.outcome";
  public static final String ERROR_STATE = "tds.error.state";
  public static final String ERROR_CLASS = "tds.error.class";
  public static final String ERROR_MESSAGE = "tds.error.message";
  public static final String ERROR_SERVER = "tds.error.server_name";
  public static final String ERROR_LINE = "tds.error.line";
  public static final String ROUTING_SERVER = "tds.routing.server";
  public static final String ROUTING_PORT = "tds.routing.port";
  public static final String DECODE_ERROR = "tds.decode_error";
  public static final String MESSAGE_NUMBER = "tds.message.number";
  public static final String MESSAGE_TEXT = "tds.message.text";
  public static final String REQUEST_TYPE = "tds.request.type";
  public static final String REQUEST_BYTES = "tds.request.bytes";
  public static final String RESPONSE_BYTES = "tds.response.bytes";

  /** False when the response ended before its final DONE (connection closed, undecodable bytes). */
  public static final String RESPONSE_COMPLETE = "tds.response.complete";

  public static final String RESULT_SETS = "tds.response.result_sets";
  public static final String ROWS_AFFECTED = "tds.response.rows_affected";

  /**
   * Requests on the same connection, since the previous request span, that were over the span
   * budget.
   */
  public static final String NOT_TRACED_BEFORE = "tds.requests.not_traced_before";

  public static final String RETURN_STATUS = "tds.response.return_status";
  public static final String OUTPUT_PARAMETERS = "tds.rpc.output_parameters";
  public static final String QUERY_TRUNCATED = "tds.query.truncated";
  public static final String RPC_PROCEDURE = "tds.rpc.procedure";
  public static final String RPC_CALLS = "tds.rpc.calls";
  public static final String RPC_PARAMETER_COUNT = "tds.rpc.parameter_count";
  public static final String CANCELLED = "tds.cancelled";
  public static final String ROWS_BEFORE_CANCEL = "tds.response.rows_before_cancel";
  public static final String ATTENTION_ACKNOWLEDGED = "tds.attention.acknowledged";

  /** The class of the exception the driver threw to the application for this request or login. */
  public static final String CLIENT_ERROR_TYPE = "tds.client.error.type";

  /** Its SQLState, when it was a SQLException that had one. */
  public static final String CLIENT_SQL_STATE = "tds.client.sql_state";

  /**
   * A request the driver sent for itself (its set-up after the login), not one the application
   * issued.
   */
  public static final String DRIVER_INTERNAL = "tds.request.driver_internal";
}
