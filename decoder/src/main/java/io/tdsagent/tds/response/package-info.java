/**
 * Streaming, resumable decoding of server token streams after the login: data-type aware so rows
 * and large values are stepped over in place, never built or buffered.
 */
package io.tdsagent.tds.response;
