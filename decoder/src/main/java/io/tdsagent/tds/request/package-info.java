/**
 * Client request messages after the login (MS-TDS 2.2.6): SQLBatch, RPC, Attention, Transaction
 * Manager and Bulk Load, decoded as they stream by with bounded memory. Parameter values are
 * skipped.
 */
package io.tdsagent.tds.request;
