package com.acme;

import java.io.Serializable;

/** An application class in a package a filter pattern can name. */
public record Widget(String name, int size) implements Serializable {}
