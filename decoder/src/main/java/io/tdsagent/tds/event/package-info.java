/** The neutral, immutable event model pushed to a TdsEventListener. */
package io.tdsagent.tds.event;
