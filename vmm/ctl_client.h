/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NC_CTL_CLIENT_H
#define NC_CTL_CLIENT_H

/* Sends argv joined by spaces as one command; prints the answer. */
int nc_ctl_client(const char *path, int argc, char **argv);

#endif /* NC_CTL_CLIENT_H */
