/**
 * Client request messages after the login (MS-TDS 2.2.6): SQLBatch, RPC, Attention, Transaction
 * Manager and Bulk Load, decoded as they stream by with bounded memory by {@link
 * io.tdsagent.tds.request.RequestDecoder}. The RPCRequest body (calls, ParameterData, table-valued
 * parameters) is read by {@code RpcRequestReader} with {@code TvpTypeInfo} (TVP_TYPE_INFO);
 * ALL_HEADERS by {@code AllHeadersReader}. Parameter values are skipped.
 */
package io.tdsagent.tds.request;
