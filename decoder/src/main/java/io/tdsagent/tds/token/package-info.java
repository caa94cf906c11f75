/**
 * Data stream tokens of a login response (MS-TDS 2.2.7): TokenStreamDecoder and the token classes.
 */
package io.tdsagent.tds.token;
