/**
 * AssertJ assertions for smtp-double that wait for asynchronous senders: start with {@link
 * dev.smtpdouble.assertj.SmtpAssertions#assertThat(dev.smtpdouble.SmtpDouble)}, or {@link
 * dev.smtpdouble.assertj.SmtpSoftAssertions} for soft assertions.
 */
package dev.smtpdouble.assertj;
