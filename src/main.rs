//! The `aseecr` binary: parse argv, run the command on a tokio runtime, exit.

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind};

fn main() -> ExitCode {
    keep_large_blocks_apart();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `--color` first: clap's own errors and help follow it too.
    let color = aseecr::cli::color_in_args(args.iter().skip(1)).unwrap_or_default();
    let mut command = aseecr::cli::command().color(aseecr::apply_color(color));
    let cli = match command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| aseecr::cli::Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(err) => return argument_error(err.format(&mut command)),
    };
    // One thread: the work is I/O plus hashing, the machines are small and shared
    // with the registry, and one allocator arena keeps memory low (docs/decisions.md).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(aseecr::run(cli))
}

/// glibc's malloc moves its mmap threshold up to the largest block freed, so
/// after the first one the blob streams' 400 KiB read buffers come from the
/// heap, where the pages of the ones freed stay resident. A fixed threshold
/// (128 KiB, glibc's default) keeps each such block in a mapping of its own,
/// returned when freed: a 1 GiB copy peaks about 1 MiB lower, for about 0.2 s
/// more system time (docs/decisions.md, "Peak RSS").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_large_blocks_apart() {
    // SAFETY: mallopt only sets a malloc parameter; this runs first in main,
    // before any other thread exists or any allocation of the program's own.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_apart() {}

/// clap's own report, except for no command at all, and for a word another
/// registry tool uses as a command: then the aseecr command that does that job.
fn argument_error(err: clap::Error) -> ExitCode {
    // No command at all (`aseecr`, `aseecr -v`): the short help, ending on where to
    // start, on stdout with exit 0, as `cargo`, `gh`, `kubectl` and `docker` answer
    // a bare call: the help is what was asked for, and it pages (`aseecr | less`).
    // clap's own report here would go to stderr with exit 2, list hidden commands,
    // and count options from the environment as arguments.
    if matches!(
        err.kind(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) && !names_a_command(std::env::args().skip(1))
    {
        let mut command = aseecr::cli::command();
        // Styled as clap styles help; the stream drops the styles when colour is off.
        let mut stdout = anstream::AutoStream::auto(std::io::stdout());
        let _ = write!(stdout, "{}", command.render_help().ansi());
        return ExitCode::SUCCESS;
    }
    if err.kind() == ErrorKind::InvalidSubcommand
        && let Some(ContextValue::String(word)) = err.get(ContextKind::InvalidSubcommand)
        && let Some(command) = aseecr::cli::other_tool_word(word)
    {
        aseecr::report_usage(
            &format!("`{word}` is not an aseecr command"),
            &format!("use `aseecr {command}` (see `aseecr {command} --help`)"),
        );
        return ExitCode::from(2);
    }
    err.exit()
}

/// Whether any argument is the name or alias of a top-level command.
fn names_a_command(args: impl Iterator<Item = String>) -> bool {
    let command = aseecr::cli::command();
    let words: Vec<String> = args.collect();
    command.get_subcommands().any(|sub| {
        words
            .iter()
            .any(|word| sub.get_name() == word || sub.get_all_aliases().any(|a| a == word))
    })
}
