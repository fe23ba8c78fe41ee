/**
 * Change notification: subscribers of a key prefix receive every committed change, in commit
 * order, on a thread of their own. The server's keyspace notifications build on it.
 */
package io.couloy.engine.watch;
