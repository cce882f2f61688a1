/**
 * Operations over the metadata store and the runtime that every face (the CLI, a web UI, a REST API) calls alike,
 * with the same validation and messages: the grammar of identifiers, the paths built from them, deleting runs.
 */
package io.dagctl.ops;
