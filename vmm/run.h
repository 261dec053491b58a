/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NC_RUN_H
#define NC_RUN_H

/* `nipcell-vmm run CELL`: boots the cell; returns an enum nc_exit status. */
int nc_run(const char *cell_path);

#endif /* NC_RUN_H */
