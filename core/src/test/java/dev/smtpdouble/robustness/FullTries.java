package dev.smtpdouble.robustness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The number of tries of a property with {@code -Dsmtpdouble.robustness=full}; without it the
 * property's own {@code tries} count.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(FullTries.Hook.class)
@interface FullTries {
  /** The tries in a full run. */
  int value();

  /** Sets the tries before the property runs. */
  final class Hook implements AroundPropertyHook {
    @Override
    public PropertyExecutionResult aroundProperty(
        PropertyLifecycleContext context, PropertyExecutor property) {
      if (Robustness.full()) {
        context
            .findAnnotation(FullTries.class)
            .ifPresent(full -> context.attributes().setTries(full.value()));
      }
      return property.execute();
    }
  }
}
