/*
 * net: the network, through libetpan over OpenSSL.  The only module that
 * includes libetpan or OpenSSL headers.
 */
#ifndef NET_NET_H
#define NET_NET_H

/* net/net.c */
/*
 * Once at start-up, before any thread: initialises OpenSSL and ignores
 * SIGPIPE, so a write to a server that hung up is an error, not a death.
 */
void		 net_init(void);
/* "libetpan 1.9, OpenSSL 3.0.x"; static storage. */
const char	*net_version(void);

#endif /* NET_NET_H */
