/**
 * LOGIN7 (MS-TDS 2.2.6.4): Login7Decoder, Login7Accumulator (scrubs the password), feature
 * extensions.
 */
package io.tdsagent.tds.login;
