package com.example;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.hooks.postgres.PostgresHook;
import jakarta.inject.Inject;

/** DAGs whose hooks cannot be built from their connections. */
public final class ErrorCauseDags {
    private ErrorCauseDags() {
    }

    /** Reads {@code booking_db}, which a test points at MySQL. */
    @Dag(id = "badinput_bookings_count", retries = 2, retryDelay = "PT0S", tags = "fixture",
            description = "Counts bookings in booking_db")
    public static final class BookingsCount {
        private final PostgresHook bookings;

        @Inject
        public BookingsCount(@Connection("booking_db") PostgresHook bookings) {
            this.bookings = bookings;
        }

        @Task
        public long countBookings() {
            return bookings.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
        }
    }

    /** Reads {@code warehouse_db}, which nothing configures. */
    @Dag(id = "badinput_warehouse_count", tags = "fixture", description = "Counts orders in warehouse_db")
    public static final class WarehouseCount {
        private final PostgresHook warehouse;

        @Inject
        public WarehouseCount(@Connection("warehouse_db") PostgresHook warehouse) {
            this.warehouse = warehouse;
        }

        @Task
        public long countOrders() {
            return warehouse.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orders").mapTo(Long.class).one());
        }
    }
}
