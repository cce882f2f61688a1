package io.dagctl.cli;

import io.dagctl.internal.discovery.Names;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command lines picocli cannot parse, said as dagctl's other usage errors are: one line after the command's
 * name, the option named by all its names, the closest command or option when the word looks like a typo, exit
 * code 2.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    private static final String MISSING_SUBCOMMAND = "Missing required subcommand";
    /** picocli's words for a map option's value without its '=' ("Value for option option '--param' ..."). */
    private static final Pattern NOT_A_PAIR = Pattern.compile("Value for .* should be in KEY=VALUE format but was (.*)",
            Pattern.DOTALL);

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName(" ") + ": " + message(e));
        if (e.getMessage().startsWith(MISSING_SUBCOMMAND)) {
            // A bare dagctl, or dagctl pools: what can follow is the answer.
            commandLine.usage(err);
        }
        return ExitCodes.USAGE;
    }

    /** How an option is named in messages: {@code -n/--limit}, as the user may have typed either. */
    static String name(OptionSpec option) {
        return String.join("/", option.names());
    }

    private static String message(ParameterException e) {
        CommandSpec command = e.getCommandLine().getCommandSpec();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            if (argument.startsWith("-") && argument.length() > 1) {
                String option = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
                return "unknown option '" + option + "'" + closest(option,
                        command.options().stream().flatMap(o -> List.of(o.names()).stream()).toList());
            }
            if (!command.subcommands().isEmpty() && command.positionalParameters().isEmpty()) {
                return "unknown command '" + argument + "'" + closest(argument, command.subcommands().keySet());
            }
            return "unexpected argument '" + argument + "'";
        }
        String message = e.getMessage();
        if (e.getArgSpec() instanceof OptionSpec option) {
            Matcher notAPair = NOT_A_PAIR.matcher(message);
            if (notAPair.matches()) {
                return "option '" + name(option) + "' takes " + option.paramLabel() + ", not '" + notAPair.group(1)
                        + "'";
            }
            message = message.replace("'" + option.longestName() + "'", "'" + name(option) + "'");
        } else if (e.getArgSpec() instanceof PositionalParamSpec parameter) {
            // "positional parameter at index 1 (SLOTS)": the label is what the usage shows.
            message = message.replaceFirst("positional parameter at index \\S+ \\(" + Pattern.quote(
                    parameter.paramLabel()) + "\\)", Matcher.quoteReplacement(parameter.paramLabel()));
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static String closest(String word, Collection<String> names) {
        return Names.closest(word, names).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }
}
