/**
 * smtp-double: a scriptable SMTP test double.
 *
 * <p>Start one with {@link dev.smtpdouble.SmtpDouble#start()}, point the code under test at its
 * {@link dev.smtpdouble.SmtpDouble#host() host} and {@link dev.smtpdouble.SmtpDouble#port() port},
 * script faults with {@link dev.smtpdouble.SmtpDouble#script(String...)}, and read what arrived with
 * {@link dev.smtpdouble.SmtpDouble#takeMessage(java.time.Duration)} and {@link
 * dev.smtpdouble.SmtpDouble#transcript()}. Only the package {@code dev.smtpdouble} is API; {@code
 * dev.smtpdouble.internal} may change at any time.
 */
module dev.smtpdouble {
  exports dev.smtpdouble;
}
