package io.pretext.runtime.cli;

import io.pretext.api.error.PretextException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code pretext} launcher. */
public final class Main {

    /** Exit status for a user error (bad recipe, unknown id, bad data): the message says what to fix. */
    public static final int USER_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the launcher with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PretextCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("error: " + e.getMessage());
            boolean splitList = e instanceof CommandLine.UnmatchedArgumentException
                    && java.util.Arrays.stream(arguments).anyMatch(a -> a.endsWith("]") && !a.contains("["));
            if (splitList) {
                // the shell split "key=[32, 16]" at the space
                failed.getErr().println("a value with spaces must be quoted: --set \"encoder.widths=[32, 16]\" (or write [32,16])");
            }
            failed.getErr().println("see: pretext " + (failed.getCommandName().equals("pretext") ? "" : failed.getCommandName() + " ")
                    + "--help");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Guice wraps what a provider method throws; the user needs the cause, not the wiring.
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof PretextException) {
                    commandLine.getErr().println("error: " + t.getMessage());
                    return USER_ERROR;
                }
            }
            commandLine.getErr().println("error: unexpected " + e + " (a bug in Pretext or a plugin; the stack trace follows)");
            throw e;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory (" + e.getMessage() + "); for data larger than memory set training.streaming=true, "
                    + "or give the JVM more heap with PRETEXT_JAVA_OPTS=-Xmx8g");
            return USER_ERROR;
        } finally {
            // print() without a newline does not auto-flush; nothing a command wrote may be lost at exit
            out.flush();
            err.flush();
        }
    }
}
