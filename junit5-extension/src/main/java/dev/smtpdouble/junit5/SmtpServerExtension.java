package dev.smtpdouble.junit5;

import dev.smtpdouble.SmtpDouble;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Jupiter extension behind {@link SmtpServer}; {@code @SmtpServer} registers it, so tests
 * rarely name it. It keeps no state of its own: every double lives in the {@link
 * ExtensionContext.Store} of the class (static fields) or of the test (everything else), which
 * closes it when that context ends, so tests may run in parallel and {@code @Nested} classes work.
 *
 * <ul>
 *   <li>{@code beforeAll}: checks the configuration parameters and the class's {@code @SmtpServer}
 *       fields and annotations, and starts the doubles of static fields.
 *   <li>{@code beforeEach}: resets the doubles of static fields, checks the test method's
 *       annotations, and starts a fresh double for each {@code @SmtpServer} instance field of the
 *       test instance and of its enclosing instances.
 *   <li>parameters of type {@code SmtpDouble}: a double of their own when annotated, else the
 *       test's double configured by the method and class annotations. Parameters of type {@link
 *       TestCertificate}: the certificate made for the test's double ({@link
 *       SmtpServer#certificate()}).
 *   <li>{@code afterEach}: when the test failed, attaches the transcripts of the doubles it used to
 *       the failure and publishes them as report entries; when it passed, fails it if a double
 *       asked for it ({@link SmtpServer#failOnUnusedRules()}, {@link
 *       SmtpServer#failOnViolations()}).
 * </ul>
 *
 * @since 0.1
 */
public final class SmtpServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(SmtpServerExtension.class);
  private static final String DOUBLE = "double";

  /** Creates the extension; JUnit does, when it meets {@link SmtpServer}. */
  public SmtpServerExtension() {}

  /**
   * Checks the class's configuration early and starts the doubles of its static {@code @SmtpServer}
   * fields.
   *
   * @param context the class's context
   * @throws ExtensionConfigurationException when a field, an annotation or a configuration
   *     parameter is wrong, saying what to change
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    ServerOptions.checkConfiguration(context);
    Class<?> testClass = context.getRequiredTestClass();
    classOptions(context);
    List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, SmtpServer.class);
    fields.forEach(SmtpServerExtension::checkField);
    for (Field field : fields) {
      if (!ModifierSupport.isStatic(field)) {
        continue;
      }
      Store store = context.getStore(Namespace.create(SmtpServerExtension.class, field));
      // An enclosing class's context may have started it already (a @Nested class extending it).
      DoubleHolder holder = store.get(DOUBLE, DoubleHolder.class);
      if (holder == null) {
        holder = startFor(context, field);
        store.put(DOUBLE, holder);
        registry(context).add(holder);
      }
      inject(field, null, holder.smtp());
    }
  }

  /**
   * Resets the shared doubles, checks the test method's annotation and starts a fresh double for
   * every {@code @SmtpServer} instance field.
   *
   * @param context the test's context
   * @throws ExtensionConfigurationException when a field or annotation is wrong
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    for (DoubleHolder shared : classScoped(context)) {
      shared.reset();
    }
    Method method = context.getRequiredTestMethod();
    AnnotationSupport.findAnnotation(method, SmtpServer.class)
        .ifPresent(annotation -> testOptions(context));
    for (Parameter parameter : method.getParameters()) {
      if (AnnotationSupport.isAnnotated(parameter, SmtpServer.class)) {
        checkParameterType(parameter);
      }
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      List<Field> fields =
          AnnotationSupport.findAnnotatedFields(
              instance.getClass(), SmtpServer.class, ModifierSupport::isNotStatic);
      for (Field field : fields) {
        checkField(field);
        DoubleHolder holder = startFor(context, field);
        context.getStore(Namespace.create(SmtpServerExtension.class, field)).put(DOUBLE, holder);
        registry(context).add(holder);
        inject(field, instance, holder.smtp());
      }
    }
  }

  /**
   * After a failed test, attaches the transcript of every double it used; after a passed one, fails
   * it when a double's strictness asks for it.
   *
   * @param context the test's context
   * @throws AssertionError when the test passed but a double it used has unused rules or saw
   *     violations and was asked to fail on them
   */
  @Override
  public void afterEach(ExtensionContext context) {
    List<DoubleHolder> used = new ArrayList<>(ownRegistry(context));
    used.addAll(classScoped(context));
    if (used.isEmpty()) {
      return;
    }
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isPresent()) {
      if (!(failure.get() instanceof TestAbortedException)) {
        attachTranscripts(context, failure.get(), used);
      }
      return;
    }
    String problems = strictnessProblems(used);
    if (!problems.isEmpty()) {
      AssertionError error = new AssertionError(problems);
      attachTranscripts(context, error, used);
      throw error;
    }
  }

  /**
   * Takes every parameter of type {@code SmtpDouble} or {@link TestCertificate}, and every
   * {@code @SmtpServer} parameter so that a wrong type is reported clearly.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return whether this extension resolves it
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == SmtpDouble.class
        || type == TestCertificate.class
        || parameterContext.isAnnotated(SmtpServer.class);
  }

  /**
   * The double for a parameter: its own when the parameter is annotated, else the test's. For a
   * {@link TestCertificate} parameter, the certificate the extension made for the test's double.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return the running double, or its certificate
   * @throws ParameterResolutionException when the parameter is not one of a test, {@code
   *     BeforeEach} or {@code AfterEach} method, or no {@code @SmtpServer} applies to it, or the
   *     test's double serves no certificate made by the extension
   * @throws ExtensionConfigurationException when an annotated parameter is not an {@code
   *     SmtpDouble}, or an annotation is malformed
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Parameter parameter = parameterContext.getParameter();
    Optional<SmtpServer> own = parameterContext.findAnnotation(SmtpServer.class);
    if (own.isPresent()) {
      checkParameterType(parameter);
    }
    Executable executable = parameterContext.getDeclaringExecutable();
    boolean certificate = parameter.getType() == TestCertificate.class;
    if (executable instanceof Constructor || extensionContext.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          (certificate ? "TestCertificate" : "SmtpDouble")
              + " parameter ["
              + parameter
              + "] in "
              + describe(executable)
              + " cannot be resolved: a double belongs to a test, so only parameters of test,"
              + " @BeforeEach and @AfterEach methods can be SmtpDoubles. Use a static @SmtpServer"
              + " field for a double shared by all tests of a class"
              + (certificate ? ", and TestCertificate.of(field) for its certificate." : "."));
    }
    if (own.isPresent()) {
      Store store =
          extensionContext.getStore(Namespace.create(SmtpServerExtension.class, parameter));
      DoubleHolder holder = store.get(DOUBLE, DoubleHolder.class);
      if (holder == null) {
        String where = "parameter [" + parameter + "] in " + describe(executable);
        holder =
            ServerOptions.DEFAULTS
                .with(own.get(), where)
                .start(extensionContext, "parameter " + parameter.getName(), where);
        store.put(DOUBLE, holder);
        registry(extensionContext).add(holder);
      }
      return holder.smtp();
    }
    Method testMethod = extensionContext.getRequiredTestMethod();
    Store store =
        extensionContext.getStore(Namespace.create(SmtpServerExtension.class, testMethod));
    DoubleHolder holder = store.get(DOUBLE, DoubleHolder.class);
    if (holder == null) {
      Optional<ServerOptions> options = testOptions(extensionContext);
      if (options.isEmpty()) {
        throw new ParameterResolutionException(
            (certificate ? "TestCertificate" : "SmtpDouble")
                + " parameter ["
                + parameter
                + "] in "
                + describe(executable)
                + " has no @SmtpServer to configure "
                + (certificate ? "the test's double" : "it")
                + ": annotate "
                + (certificate ? "" : "the parameter, ")
                + "the test method or the test class with @SmtpServer.");
      }
      String where = describe(testMethod);
      String name =
          "parameter " + (certificate ? doubleParameter(executable) : parameter.getName());
      holder = options.get().start(extensionContext, name, where);
      store.put(DOUBLE, holder);
      registry(extensionContext).add(holder);
    }
    if (!certificate) {
      return holder.smtp();
    }
    if (holder.certificate() == null) {
      throw new ParameterResolutionException(
          "TestCertificate parameter ["
              + parameter
              + "] in "
              + describe(executable)
              + " cannot be resolved: the test's double serves no certificate made by the"
              + " extension. Set @SmtpServer(tls = TlsMode.STARTTLS, certificate ="
              + " ServerCertificate.EXPIRED) or another certificate on the test method or class;"
              + " for the double of a field or an annotated parameter, call"
              + " TestCertificate.of(smtp).");
    }
    return holder.certificate();
  }

  // ---- options ----

  /** The class annotations, outermost enclosing class first; empty when there are none. */
  private static Optional<ServerOptions> classOptions(ExtensionContext context) {
    ServerOptions options = null;
    for (Class<?> testClass : classChain(context)) {
      Optional<SmtpServer> annotation =
          AnnotationSupport.findAnnotation(testClass, SmtpServer.class);
      if (annotation.isPresent()) {
        options =
            (options == null ? ServerOptions.DEFAULTS : options)
                .with(annotation.get(), "class [" + testClass.getName() + "]");
      }
    }
    return Optional.ofNullable(options);
  }

  /** The class annotations refined by the test method's; empty when there are none. */
  private static Optional<ServerOptions> testOptions(ExtensionContext context) {
    Optional<ServerOptions> options = classOptions(context);
    Method method = context.getRequiredTestMethod();
    Optional<SmtpServer> annotation = AnnotationSupport.findAnnotation(method, SmtpServer.class);
    if (annotation.isEmpty()) {
      return options;
    }
    return Optional.of(
        options.orElse(ServerOptions.DEFAULTS).with(annotation.get(), describe(method)));
  }

  /** The test classes from the outermost enclosing one to the context's own. */
  private static List<Class<?>> classChain(ExtensionContext context) {
    Deque<Class<?>> chain = new ArrayDeque<>();
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Optional<AnnotatedElement> element = c.getElement();
      if (element.isPresent() && element.get() instanceof Class) {
        chain.addFirst((Class<?>) element.get());
      }
    }
    return List.copyOf(chain);
  }

  private static DoubleHolder startFor(ExtensionContext context, Field field) {
    SmtpServer annotation = AnnotationSupport.findAnnotation(field, SmtpServer.class).orElseThrow();
    String where = "field [" + field + "]";
    String name = "field " + field.getDeclaringClass().getSimpleName() + "." + field.getName();
    return ServerOptions.DEFAULTS.with(annotation, where).start(context, name, where);
  }

  // ---- checks and injection ----

  private static void checkField(Field field) {
    if (field.getType() != SmtpDouble.class) {
      throw new ExtensionConfigurationException(
          "@SmtpServer field ["
              + field
              + "] must be of type "
              + SmtpDouble.class.getName()
              + " but was: "
              + field.getType().getName());
    }
    if (ModifierSupport.isFinal(field)) {
      throw new ExtensionConfigurationException(
          "@SmtpServer field [" + field + "] must not be declared as final.");
    }
  }

  private static void checkParameterType(Parameter parameter) {
    if (parameter.getType() != SmtpDouble.class) {
      throw new ExtensionConfigurationException(
          "@SmtpServer parameter ["
              + parameter
              + "] in "
              + describe(parameter.getDeclaringExecutable())
              + " must be of type "
              + SmtpDouble.class.getName()
              + " but was: "
              + parameter.getType().getName());
    }
  }

  private static void inject(Field field, Object target, SmtpDouble smtp) {
    try {
      field.setAccessible(true);
      field.set(target, smtp);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new ExtensionConfigurationException(
          "@SmtpServer field ["
              + field
              + "] cannot be set: "
              + e.getMessage()
              + " (in a named module, open the test package to dev.smtpdouble.junit)",
          e);
    }
  }

  /** The name of the test's double in a method that asked for its certificate first. */
  private static String doubleParameter(Executable executable) {
    for (Parameter parameter : executable.getParameters()) {
      if (parameter.getType() == SmtpDouble.class
          && !AnnotationSupport.isAnnotated(parameter, SmtpServer.class)) {
        return parameter.getName();
      }
    }
    return "of the test";
  }

  private static String describe(Executable executable) {
    return (executable instanceof Constructor ? "constructor [" : "method [") + executable + "]";
  }

  // ---- the doubles of a context ----

  /** The key of a context's own list of doubles; the unique id keeps parents' lists apart. */
  private static final class RegistryKey {
    private final String uniqueId;

    RegistryKey(String uniqueId) {
      this.uniqueId = uniqueId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RegistryKey && ((RegistryKey) other).uniqueId.equals(uniqueId);
    }

    @Override
    public int hashCode() {
      return uniqueId.hashCode();
    }
  }

  /** The doubles started in a context, in order; the store closes each holder on its own. */
  private static final class Registry {
    private final List<DoubleHolder> holders = new CopyOnWriteArrayList<>();
  }

  private static List<DoubleHolder> registry(ExtensionContext context) {
    Store store = context.getStore(NAMESPACE);
    RegistryKey key = new RegistryKey(context.getUniqueId());
    Registry registry = store.get(key, Registry.class);
    if (registry == null) {
      registry = new Registry();
      store.put(key, registry);
    }
    return registry.holders;
  }

  private static List<DoubleHolder> ownRegistry(ExtensionContext context) {
    Registry registry =
        context.getStore(NAMESPACE).get(new RegistryKey(context.getUniqueId()), Registry.class);
    return registry == null ? List.of() : registry.holders;
  }

  /** The doubles of static fields of the test's class and of its enclosing classes. */
  private static List<DoubleHolder> classScoped(ExtensionContext context) {
    List<DoubleHolder> shared = new ArrayList<>();
    for (ExtensionContext c = context.getParent().orElse(null);
        c != null;
        c = c.getParent().orElse(null)) {
      shared.addAll(ownRegistry(c));
    }
    return shared;
  }

  // ---- evidence and strictness ----

  private static void attachTranscripts(
      ExtensionContext context, Throwable failure, List<DoubleHolder> used) {
    StringBuilder all = new StringBuilder();
    all.append("smtp-double transcript")
        .append(used.size() == 1 ? "" : "s")
        .append(" of the failed test ")
        .append(context.getDisplayName())
        .append(":\n");
    for (DoubleHolder holder : used) {
      String report = holder.report();
      all.append(report);
      context.publishReportEntry("smtp-double " + holder.name(), report);
    }
    failure.addSuppressed(new SmtpDoubleTranscript(all.toString()));
  }

  private static String strictnessProblems(List<DoubleHolder> used) {
    StringBuilder out = new StringBuilder();
    used.forEach(holder -> out.append(holder.strictnessProblems()));
    return out.length() == 0
        ? ""
        : "The test passed, but smtp-double was asked to fail it:\n" + out;
  }
}
