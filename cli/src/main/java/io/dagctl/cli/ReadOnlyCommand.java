package io.dagctl.cli;

/**
 * A command that only reads the metadata database. Its process opens the database {@link
 * io.dagctl.internal.store.StoreLocation#forReading for reading}: it leaves the compaction of an H2 file, which costs
 * whoever closes it last up to 200 ms, to the processes that write.
 */
interface ReadOnlyCommand {
}
