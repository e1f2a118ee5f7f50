/**
 * smtp-double for Spring tests: {@link dev.smtpdouble.spring.EnableSmtpDouble @EnableSmtpDouble}
 * starts a double before a Spring test's application context and points the application's mail
 * settings at it. Spring itself is the user's: required statically, never brought along.
 */
// Spring's jars are automatic modules (Automatic-Module-Name in their manifests); -Xlint:all warns
// about requiring automatic modules (requires-automatic, requires-transitive-automatic), suppressed
// here as in dev.smtpdouble.junit. Static: the user's project has Spring; transitive: the hooks
// Spring loads implement its interfaces.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.smtpdouble.spring {
  requires transitive dev.smtpdouble;
  requires transitive dev.smtpdouble.junit;
  requires static transitive spring.core;
  requires static spring.beans;
  requires static spring.context;
  requires static transitive spring.test;

  exports dev.smtpdouble.spring;
}
