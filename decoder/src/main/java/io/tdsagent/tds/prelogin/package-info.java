/** PRELOGIN (MS-TDS 2.2.6.5): PreloginDecoder and its options. */
package io.tdsagent.tds.prelogin;
