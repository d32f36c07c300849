package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Concurrently;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
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

    /**
     * Control: with the transaction outside the lock, the same test sees the uncommitted gap. Here the commit
     * waits for the reader (a fixed dawdle lost the race on a loaded machine): with the order this class warns
     * against, the reader gets in before the commit and sees nothing.
     */
    @Test
    void withTheTransactionOutsideTheLockTheNextHolderSeesNothing() throws Exception {
        runner(TransactionOutermost.class).run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            ledger.commitOnlyAfterTheReaderRead();
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
        private final CountDownLatch readerRead = new CountDownLatch(1);
        private volatile boolean commitAfterReader;

        Ledger(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table entries(id int)");
            jdbc.execute("create table counter(n int)");
            jdbc.execute("insert into counter values (0)");
        }

        public List<String> events() {
            return events;
        }

        // Through the proxy: a class-based proxy's own fields are never set, so the target sets its own.
        public void commitOnlyAfterTheReaderRead() {
            commitAfterReader = true;
        }

        @FileLocked(name = "ledger", timeout = "30s")
        @Transactional
        public void write(CountDownLatch inside) {
            events.add("writer acquired");
            jdbc.update("insert into entries values (1)");
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    if (commitAfterReader) {
                        await(readerRead);
                    } else {
                        sleep(700); // a slow commit: wide open window if the lock were already released
                    }
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
            int count = jdbc.queryForObject("select count(*) from entries", Integer.class);
            readerRead.countDown();
            return count;
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

        private static void await(CountDownLatch latch) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
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
