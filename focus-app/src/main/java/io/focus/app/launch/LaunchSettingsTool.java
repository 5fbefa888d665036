package io.focus.app.launch;

import io.focus.app.Main;
import io.focus.app.config.ShellConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@code bin/focus} before it starts the focus: reads Jicofo's shell-style config (the path is the one
 * argument) and prints one line per item, {@code J <jvm option>} or {@code A <program argument>}, in order. A file
 * that cannot be read or used prints one line naming the problem to stderr and exits 2 (bad configuration), as
 * the focus itself does, so systemd does not restart it in a loop ({@code RestartPreventExitStatus=2}).
 */
public final class LaunchSettingsTool {
    private LaunchSettingsTool() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: " + LaunchSettingsTool.class.getName() + " /etc/jitsi/jicofo/config");
            return Main.EXIT_CONFIG;
        }
        Path file = Path.of(args[0]);
        Map<String, String> vars;
        try {
            if (!Files.isReadable(file)) {
                throw new IOException("not readable by this user (expected owner jicofo, group jitsi)");
            }
            vars = ShellConfig.read(file);
        } catch (IOException | IllegalArgumentException e) {
            err.println("focus: cannot read " + file + ": " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
        JicofoLaunchSettings settings;
        try {
            settings = JicofoLaunchSettings.from(vars, file.toString());
        } catch (IllegalArgumentException e) {
            err.println("focus: " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
        settings.jvmOptions().forEach(o -> out.println("J " + o));
        settings.programArguments().forEach(a -> out.println("A " + a));
        return Main.EXIT_OK;
    }
}
