/** Durable server state under {@code --state-dir}: traffic policies, rollouts and their history. */
package dev.infera.server.state;
