/** Helpers shared by the extension and the assertions: not exported, may change at any time. */
package dev.smtpdouble.junit5.internal;
