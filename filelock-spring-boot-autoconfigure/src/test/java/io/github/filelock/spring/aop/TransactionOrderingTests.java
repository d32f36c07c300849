package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Concurrently;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The lock must be taken before the transaction begins and released after it commits; otherwise the next
 * holder can read data the previous holder has not committed yet. A real H2 database and
 * DataSourceTransactionManager show it: the committing transaction deliberately dawdles in beforeCommit, and
 * the next lock holder must still see its row.
 */
class TransactionOrderingTests {

    @TempDir
    Path tmp;

    @Test
    void nextHolderSeesTheCommittedRowAndCommitHappensBeforeTheNextAcquire() throws Exception {
        runner(DefaultOrder.class).run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            assertThat(rowsSeenByNextHolder(ledger)).isEqualTo(1);
            assertThat(ledger.events()).containsExactly("writer acquired", "writer committed", "reader acquired");
        });
    }

    /** Control: with the transaction outside the lock, the same test sees the uncommitted gap. */
    @Test
    void withTheTransactionOutsideTheLockTheNextHolderSeesNothing() throws Exception {
        runner(TransactionOutermost.class).run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            // Here the reader must get in before the commit, so the commit waits for it however loaded the machine.
            ledger.commitWaitsForReaderUpTo(Duration.ofSeconds(30));
            assertThat(rowsSeenByNextHolder(ledger)).isZero();
            assertThat(ledger.events()).containsExactly("writer acquired", "reader acquired", "writer committed");
        });
    }

    @Test
    void concurrentReadModifyWriteTransactionsLoseNoUpdate() throws Exception {
        runner(DefaultOrder.class).run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            Concurrently.run(4, 25, thread -> ledger::increment);
            assertThat(ledger.counter()).isEqualTo(100);
        });
    }

    private ApplicationContextRunner runner(Class<?> ordering) {
        return Runners.withLockDir(tmp).withUserConfiguration(ordering);
    }

    private static int rowsSeenByNextHolder(Ledger ledger) throws Exception {
        CountDownLatch writerInside = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> ledger.write(writerInside));
        assertThat(writerInside.await(30, TimeUnit.SECONDS)).isTrue();
        int seen = ledger.countUnderLock();
        writer.get(30, TimeUnit.SECONDS);
        return seen;
    }

    static class Ledger {

        private final JdbcTemplate jdbc;
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final CountDownLatch readerIn = new CountDownLatch(1);
        /** How long a commit stays open for a reader: the window a released lock would let a reader into. */
        private volatile Duration commitWaitsForReaderUpTo = Duration.ofMillis(700);

        Ledger(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table entries(id int)");
            jdbc.execute("create table counter(n int)");
            jdbc.execute("insert into counter values (0)");
        }

        // A method, not a field write: the bean is a class-based proxy, whose own fields are not the target's.
        public void commitWaitsForReaderUpTo(Duration window) {
            commitWaitsForReaderUpTo = window;
        }

        public List<String> events() {
            return events;
        }

        @FileLocked(name = "ledger", timeout = "30s")
        @Transactional
        public void write(CountDownLatch inside) {
            events.add("writer acquired");
            jdbc.update("insert into entries values (1)");
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    awaitReader(); // a slow commit: wide open window if the lock were already released
                }

                @Override
                public void afterCommit() {
                    events.add("writer committed");
                }
            });
            inside.countDown();
        }

        @FileLocked(name = "ledger", timeout = "30s")
        public int countUnderLock() {
            events.add("reader acquired");
            int rows = jdbc.queryForObject("select count(*) from entries", Integer.class);
            readerIn.countDown(); // only after the read: the commit it holds back is what the read must not see
            return rows;
        }

        @FileLocked(name = "counter", timeout = "30s")
        @Transactional
        public void increment() {
            int n = jdbc.queryForObject("select n from counter", Integer.class);
            jdbc.update("update counter set n = ?", n + 1);
        }

        public int counter() {
            return jdbc.queryForObject("select n from counter", Integer.class);
        }

        private void awaitReader() {
            try {
                readerIn.await(commitWaitsForReaderUpTo.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Database {
        @Bean(destroyMethod = "shutdown")
        EmbeddedDatabase dataSource() {
            return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        Ledger ledger(DataSource dataSource) {
            return new Ledger(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    @Import(Database.class)
    static class DefaultOrder {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 0)
    @Import(Database.class)
    static class TransactionOutermost {
    }
}
