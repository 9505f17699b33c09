/* procstat: what /proc says about another process: CPU time (user +
 * system, all threads) and resident memory. */
#ifndef KOPA_BENCH_PROCSTAT_H
#define KOPA_BENCH_PROCSTAT_H

/* Stores utime + stime of pid, in seconds, in *seconds. Returns 0, or -1
 * when pid is 0 or /proc/<pid>/stat cannot be read (*seconds is then 0). */
int procstat_cpu(int pid, double *seconds);

/* Stores the time pid's threads spent runnable but waiting for a CPU
 * (the run queue, from /proc/<pid>/task/<tid>/schedstat), in seconds, in
 * *seconds: how much other processes held the server back. Returns 0, or
 * -1 as above. */
int procstat_wait(int pid, double *seconds);

/* Stores VmRSS of pid, in KiB, in *kib. Returns 0, or -1 as above. */
int procstat_rss(int pid, long *kib);

#endif
