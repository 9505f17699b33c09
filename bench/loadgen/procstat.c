/* procstat: reads /proc/<pid>/stat and /proc/<pid>/status for the
 * scenarios' before/after measurements of the server under test. */
#include "procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int procstat_cpu(int pid, double *seconds)
{
    char path[64], buf[1024];
    *seconds = 0;
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces: fields count from its ')'. */
    char *p = strrchr(buf, ')');
    if (p == NULL)
        return -1;
    p++;
    unsigned long long utime = 0, stime = 0;
    for (int field = 3; field <= 15; field++) {
        char *end;
        while (*p == ' ')
            p++;
        if (field == 14)
            utime = strtoull(p, &end, 10);
        else if (field == 15)
            stime = strtoull(p, &end, 10);
        else
            end = strchr(p, ' ');
        if (end == NULL || end == p)
            return -1;
        p = end;
    }
    *seconds = (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

int procstat_rss(int pid, long *kib)
{
    char path[64], line[256];
    int rc = -1;
    *kib = 0;
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            *kib = strtol(line + 6, NULL, 10);
            rc = 0;
            break;
        }
    }
    fclose(f);
    return rc;
}

int procstat_wait(int pid, double *seconds)
{
    char path[300];
    unsigned long long total = 0;
    *seconds = 0;
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/task", pid);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        unsigned long long run = 0, wait = 0;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/%d/task/%.32s/schedstat", pid,
                 e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL)
            continue;
        if (fscanf(f, "%llu %llu", &run, &wait) == 2)
            total += wait;
        fclose(f);
    }
    closedir(dir);
    *seconds = (double)total / 1e9;
    return 0;
}
