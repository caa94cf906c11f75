/** TdsConversation: the connection set-up state machine the agent drives. */
package io.tdsagent.tds.conversation;
