package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.tdsagent.trace.TdsAttributes;
import org.junit.jupiter.api.Test;

/**
 * The trace model spells the semantic conventions' names as plain strings: they must be the
 * conventions' own.
 */
class AttributeNamesTest {
  @Test
  void theModelsNamesAreTheConventions() {
    assertEquals(DbAttributes.DB_SYSTEM_NAME.getKey(), TdsAttributes.DB_SYSTEM_NAME);
    assertEquals(
        DbAttributes.DbSystemNameValues.MICROSOFT_SQL_SERVER, TdsAttributes.DB_SYSTEM_NAME_VALUE);
    assertEquals(DbAttributes.DB_NAMESPACE.getKey(), TdsAttributes.DB_NAMESPACE);
    assertEquals(
        DbAttributes.DB_RESPONSE_STATUS_CODE.getKey(), TdsAttributes.DB_RESPONSE_STATUS_CODE);
    assertEquals(DbAttributes.DB_QUERY_TEXT.getKey(), TdsAttributes.DB_QUERY_TEXT);
    assertEquals(DbAttributes.DB_QUERY_SUMMARY.getKey(), TdsAttributes.DB_QUERY_SUMMARY);
    assertEquals(DbAttributes.DB_OPERATION_NAME.getKey(), TdsAttributes.DB_OPERATION_NAME);
    assertEquals(DbAttributes.DB_COLLECTION_NAME.getKey(), TdsAttributes.DB_COLLECTION_NAME);
    assertEquals(
        DbAttributes.DB_STORED_PROCEDURE_NAME.getKey(), TdsAttributes.DB_STORED_PROCEDURE_NAME);
    assertEquals(ServerAttributes.SERVER_ADDRESS.getKey(), TdsAttributes.SERVER_ADDRESS);
    assertEquals(ServerAttributes.SERVER_PORT.getKey(), TdsAttributes.SERVER_PORT);
    assertEquals(
        NetworkAttributes.NETWORK_PEER_ADDRESS.getKey(), TdsAttributes.NETWORK_PEER_ADDRESS);
    assertEquals(NetworkAttributes.NETWORK_PEER_PORT.getKey(), TdsAttributes.NETWORK_PEER_PORT);
    assertEquals(ErrorAttributes.ERROR_TYPE.getKey(), TdsAttributes.ERROR_TYPE);
  }
}
