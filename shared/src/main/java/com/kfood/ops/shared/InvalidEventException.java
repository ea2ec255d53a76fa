package com.kfood.ops.shared;

/** The event is not one this function handles. Nothing was changed. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }
}
