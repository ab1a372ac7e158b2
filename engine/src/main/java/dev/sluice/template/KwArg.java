package dev.sluice.template;

/** A keyword argument smuggled through Pebble as a positional one (see JinjaTranslator). */
record KwArg(String name, Object value) {
}
