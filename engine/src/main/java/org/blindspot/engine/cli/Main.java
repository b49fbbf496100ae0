package org.blindspot.engine.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println(org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getName());
    }
}
