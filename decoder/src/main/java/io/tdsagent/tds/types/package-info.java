/**
 * TDS data types (MS-TDS 2.2.5.4): TYPE_INFO decoding and a resumable value skipper that steps over
 * TYPE_VARBYTE values (rows, RETURNVALUE, RPC parameters) without building them.
 */
package io.tdsagent.tds.types;
