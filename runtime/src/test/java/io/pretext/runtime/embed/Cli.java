package io.pretext.runtime.embed;

import io.pretext.runtime.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the launcher in-process as a user would, capturing what it prints. */
final class Cli {

    private Cli() {
    }

    /** Exit status and the two streams of one command. */
    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** The lines of a ';'-separated table with fields {@code a} and {@code b} swapped on every line, header included. */
    static List<String> swapFields(List<String> lines, int a, int b) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] f = line.split(";", -1);
            String first = f[a];
            f[a] = f[b];
            f[b] = first;
            out.add(String.join(";", f));
        }
        return out;
    }
}
