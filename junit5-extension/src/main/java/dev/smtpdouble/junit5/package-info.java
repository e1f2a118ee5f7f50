/**
 * The JUnit Jupiter extension: {@link dev.smtpdouble.junit5.SmtpServer @SmtpServer} on a test
 * class, test method, field or parameter gives the test a running {@link
 * dev.smtpdouble.SmtpDouble}, stops it afterwards and shows its transcript when the test fails.
 * Works on JUnit Jupiter 5.14 and 6.
 */
package dev.smtpdouble.junit5;
