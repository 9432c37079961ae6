/*
 * engine/jobs.c: one background thread for the index writes the
 * interface asks for.
 *
 * A triage key must repaint at once, but writing the index (a Xapian
 * transaction and its commit, journal fsyncs, file renames) takes tens
 * of milliseconds on a large mailbox.  The interface therefore queues
 * the write here and shows the expected result straight away; the jobs
 * run one after another, in the order they were queued, so an undo
 * queued after an action always sees that action done.  A job starts
 * only once the done step of the one before has run: the caller reopens
 * its own handle there, so it is never more than one commit behind the
 * index (a Xapian reader two commits behind may find its revision gone,
 * and notmuch then reopens it under the caller's feet).  A finished job
 * goes back to the caller's thread through a pipe, like the workers'
 * events: the caller polls engine_jobs_fd() and engine_jobs_dispatch()
 * runs each job's done step there, where it may touch the screen.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

struct engine_job {
	const struct engine_job_ops *ops;
	void			*arg;
	struct engine_job	*next;
};

struct engine_jobs {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;		/* queued, or all done */
	struct engine_job	*queue;		/* oldest first */
	struct engine_job	**tail;
	struct engine_job	*done;		/* oldest first */
	struct engine_job	**done_tail;
	size_t			 busy;		/* queued or running */
	int			 stop;
	int			 pipe[2];	/* readable: jobs done */
};

void
engine_pipe_poke(int fd)
{
	ssize_t	 n;

	do
		n = write(fd, "x", 1);
	while (n == -1 && errno == EINTR);
}

void
engine_pipe_drain(int fd)
{
	char	 buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

int
engine_pipe_open(int fds[2])
{
	if (pipe(fds) == -1)
		return (-1);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return (0);
}

static void *
jobs_main(void *arg)
{
	struct engine_jobs	*js = arg;
	struct engine_job	*j;

	pthread_mutex_lock(&js->lock);
	for (;;) {
		while ((js->queue == NULL || js->done != NULL) && !js->stop)
			pthread_cond_wait(&js->cond, &js->lock);
		if ((j = js->queue) == NULL)
			break;	/* stopping, and nothing is left */
		if ((js->queue = j->next) == NULL)
			js->tail = &js->queue;
		pthread_mutex_unlock(&js->lock);

		j->ops->run(j->arg);

		pthread_mutex_lock(&js->lock);
		j->next = NULL;
		*js->done_tail = j;
		js->done_tail = &j->next;
		js->busy--;
		pthread_cond_broadcast(&js->cond);
		engine_pipe_poke(js->pipe[1]);
	}
	pthread_mutex_unlock(&js->lock);
	return (NULL);
}

struct engine_jobs *
engine_jobs_start(char **cause)
{
	struct engine_jobs	*js;
	int			 error;

	js = xcalloc(1, sizeof *js);
	js->tail = &js->queue;
	js->done_tail = &js->done;
	if (engine_pipe_open(js->pipe) != 0) {
		xcause(cause, "cannot make a pipe: %s", strerror(errno));
		free(js);
		return (NULL);
	}
	pthread_mutex_init(&js->lock, NULL);
	pthread_cond_init(&js->cond, NULL);
	if ((error = pthread_create(&js->thread, NULL, jobs_main, js)) != 0) {
		xcause(cause, "cannot start a thread: %s", strerror(error));
		pthread_mutex_destroy(&js->lock);
		pthread_cond_destroy(&js->cond);
		close(js->pipe[0]);
		close(js->pipe[1]);
		free(js);
		return (NULL);
	}
	return (js);
}

int
engine_jobs_fd(const struct engine_jobs *js)
{
	return (js != NULL ? js->pipe[0] : -1);
}

void
engine_jobs_add(struct engine_jobs *js, const struct engine_job_ops *ops,
    void *arg)
{
	struct engine_job	*j;

	j = xcalloc(1, sizeof *j);
	j->ops = ops;
	j->arg = arg;
	pthread_mutex_lock(&js->lock);
	*js->tail = j;
	js->tail = &j->next;
	js->busy++;
	pthread_cond_broadcast(&js->cond);
	pthread_mutex_unlock(&js->lock);
}

size_t
engine_jobs_dispatch(struct engine_jobs *js)
{
	struct engine_job	*j;
	size_t			 n = 0;

	if (js == NULL)
		return (0);
	for (;;) {
		pthread_mutex_lock(&js->lock);
		engine_pipe_drain(js->pipe[0]);
		if ((j = js->done) != NULL) {
			if ((js->done = j->next) == NULL)
				js->done_tail = &js->done;
		}
		pthread_mutex_unlock(&js->lock);
		if (j == NULL)
			return (n);
		/* Unlocked: done may queue another job. */
		j->ops->done(j->arg);
		free(j);
		n++;
		pthread_mutex_lock(&js->lock);
		pthread_cond_broadcast(&js->cond);	/* the next may start */
		pthread_mutex_unlock(&js->lock);
	}
}

size_t
engine_jobs_busy(struct engine_jobs *js)
{
	size_t	 n;

	if (js == NULL)
		return (0);
	pthread_mutex_lock(&js->lock);
	n = js->busy;
	pthread_mutex_unlock(&js->lock);
	return (n);
}

void
engine_jobs_drain(struct engine_jobs *js)
{
	if (js == NULL)
		return;
	for (;;) {
		(void)engine_jobs_dispatch(js);
		pthread_mutex_lock(&js->lock);
		while (js->busy > 0 && js->done == NULL)
			pthread_cond_wait(&js->cond, &js->lock);
		if (js->busy == 0 && js->done == NULL) {
			pthread_mutex_unlock(&js->lock);
			return;
		}
		pthread_mutex_unlock(&js->lock);
	}
}

void
engine_jobs_stop(struct engine_jobs *js)
{
	struct engine_job	*j;

	if (js == NULL)
		return;
	pthread_mutex_lock(&js->lock);
	js->stop = 1;
	pthread_cond_broadcast(&js->cond);
	pthread_mutex_unlock(&js->lock);
	pthread_join(js->thread, NULL);
	while ((j = js->done) != NULL) {
		js->done = j->next;
		j->ops->drop(j->arg);
		free(j);
	}
	pthread_mutex_destroy(&js->lock);
	pthread_cond_destroy(&js->cond);
	close(js->pipe[0]);
	close(js->pipe[1]);
	free(js);
}
