/*
 * tests/unit/engine/jobs.c: the background job thread runs jobs one at
 * a time in the order they were queued, hands each back through the
 * pipe to run its done step on the caller's thread, starts the next only
 * after that, and on stop runs what is left and drops what was not
 * dispatched.
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"

struct job {
	int		 n;
	int		 order;	/* when it ran, from 1 */
	pthread_t	 thread;
	int		 done;	/* when its done step ran, from 1 */
	int		 before;	/* done steps run when it started */
	int		 released;
};

static int		 ran;	/* only the job thread writes it */
static int		 dispatched;
static pthread_mutex_t	 gate = PTHREAD_MUTEX_INITIALIZER;

static void
job_run(void *arg)
{
	struct job	*j = arg;

	/* Held by the test while it checks that nothing ran yet. */
	pthread_mutex_lock(&gate);
	pthread_mutex_unlock(&gate);
	j->before = dispatched;
	j->order = ++ran;
	j->thread = pthread_self();
}

static void
job_done(void *arg)
{
	struct job	*j = arg;

	j->done = ++dispatched;
	ok(!pthread_equal(pthread_self(), j->thread),
	    "done runs on the caller's thread");
}

static void
job_release(void *arg)
{
	((struct job *)arg)->released++;
}

static const struct engine_job_ops job_ops = { job_run, job_done,
    job_release };

static int
readable(int fd, int ms)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return (poll(&pfd, 1, ms) == 1);
}

static void
test_order(void)
{
	struct engine_jobs	*js;
	struct job		 j[5];
	char			*cause = NULL;
	int			 i, in_order = 1, other = 1, once = 1, after = 1;

	memset(j, 0, sizeof j);
	dispatched = 0;
	js = engine_jobs_start(&cause);
	ok(js != NULL, "the thread starts");
	if (js == NULL)
		return;
	ok(!readable(engine_jobs_fd(js), 0), "nothing to read before a job");
	is_int(engine_jobs_dispatch(js), 0, "nothing to dispatch before a job");

	pthread_mutex_lock(&gate);
	for (i = 0; i < 5; i++) {
		j[i].n = i;
		engine_jobs_add(js, &job_ops, &j[i]);
	}
	is_int(engine_jobs_busy(js), 5, "five jobs are busy while held");
	pthread_mutex_unlock(&gate);
	ok(readable(engine_jobs_fd(js), 5000), "the pipe says a job is done");
	ok(engine_jobs_dispatch(js) >= 1, "dispatch runs the done steps");
	engine_jobs_drain(js);
	is_int(engine_jobs_busy(js), 0, "none after drain");
	for (i = 0; i < 5; i++) {
		in_order &= j[i].order == i + 1;
		other &= !pthread_equal(j[i].thread, pthread_self());
		once &= j[i].done == i + 1 && j[i].released == 0;
		after &= j[i].before == i;
	}
	ok(in_order, "jobs run in the order they were queued");
	ok(other, "jobs run on another thread");
	ok(once, "each done step runs once, oldest first");
	ok(after, "a job starts after the done step of the one before");
	ok(!readable(engine_jobs_fd(js), 0), "the pipe is empty after");
	is_int(engine_jobs_dispatch(js), 0, "and nothing is left");
	engine_jobs_stop(js);
}

static void
test_stop(void)
{
	struct engine_jobs	*js;
	struct job		 j[3];
	char			*cause = NULL;
	int			 i;

	memset(j, 0, sizeof j);
	ran = dispatched = 0;
	if ((js = engine_jobs_start(&cause)) == NULL) {
		ok(0, "the thread starts again");
		return;
	}
	pthread_mutex_lock(&gate);
	for (i = 0; i < 3; i++)
		engine_jobs_add(js, &job_ops, &j[i]);
	pthread_mutex_unlock(&gate);
	engine_jobs_stop(js);
	ok(j[0].order == 1 && j[1].order == 2 && j[2].order == 3,
	    "stop runs the queued jobs first");
	ok(j[0].done == 0 && j[0].released == 1 && j[1].released == 1 &&
	    j[2].released == 1, "and drops each, once, without done");

	engine_jobs_stop(NULL);
	engine_jobs_drain(NULL);
	ok(engine_jobs_dispatch(NULL) == 0 && engine_jobs_busy(NULL) == 0 &&
	    engine_jobs_fd(NULL) == -1, "NULL is no jobs");
}

int
main(void)
{
	test_order();
	test_stop();
	return (tap_done());
}
