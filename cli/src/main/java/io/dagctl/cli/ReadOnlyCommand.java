package io.dagctl.cli;

/**
 * A command that only reads the metadata database. Its process opens the database {@link
 * io.dagctl.internal.store.StoreLocation#forReading for reading}: it leaves the compaction of an H2 file, which costs
 * whoever closes it last up to 200 ms, to the processes that write, and reads a home's H2 file read-only, without
 * serving it to other processes, while no other process holds it. It closes such a file before it prints.
 */
interface ReadOnlyCommand {
}
