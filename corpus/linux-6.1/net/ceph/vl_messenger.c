// SPDX-License-Identifier: GPL-2.0
/*
 * vl_messenger: the receive vectors of a connection (the shape of
 * net/ceph/messenger_v2.c).
 *
 * vmalloc-lint corpus, pass 2, a mixed field whose vmalloc side is kvmalloc
 * memory: in_kvecs[].iov_base holds a kvmalloc()ed buffer (through a local
 * helper), the connection's own preamble buffer, another vector's buffer
 * or memory of no known kind. A tag or a path can tell
 * a vzalloc()ed buffer from a kmalloc()ed one (smc's is_vm), so such a
 * field is only "possible"; no code can tell which kind kvmalloc() chose
 * (vmalloc memory only above a size, or when kmalloc fails), so a kvmalloc
 * side is as "likely" as kvmalloc memory read directly.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_kvec {
	void *iov_base;
	unsigned long iov_len;
};

/* The send side's vectors, of another type (their iov_base is not in_kvecs'). */
struct vl_out_vec {
	void *iov_base;
	unsigned long iov_len;
};

struct vl_con {
	struct vl_kvec in_kvecs[4];
	int in_kvec_cnt;
	void *conn_bufs[8];
	int conn_buf_cnt;
	char in_buf[64];
	struct vl_out_vec out_kvecs[4];
	void *out_buf;
};

static void vl_add_in_kvec(struct vl_con *con, void *buf, int len)
{
	con->in_kvecs[con->in_kvec_cnt].iov_base = buf;
	con->in_kvecs[con->in_kvec_cnt].iov_len = len;
	con->in_kvec_cnt++;
}

static void *vl_alloc_conn_buf(struct vl_con *con, int len)
{
	void *buf;

	buf = kvmalloc(len, GFP_NOIO);
	if (!buf)
		return NULL;
	con->conn_bufs[con->conn_buf_cnt++] = buf;
	return buf;
}

struct vl_msg {
	struct vl_kvec front;	/* kvmalloc()ed by the message's allocator */
};

void *vl_msg_data_buf(struct vl_msg *msg, int len);

int vl_prepare_read_preamble(struct vl_con *con)
{
	vl_add_in_kvec(con, con->in_buf, sizeof(con->in_buf));
	return 0;
}

/* Another vector's buffer, and memory of no known kind. */
int vl_prepare_read_message(struct vl_con *con, struct vl_msg *msg, int len)
{
	vl_add_in_kvec(con, msg->front.iov_base, msg->front.iov_len);
	vl_add_in_kvec(con, vl_msg_data_buf(msg, len), len);
	return 0;
}

int vl_prepare_read_control_remainder(struct vl_con *con, int len)
{
	void *buf = vl_alloc_conn_buf(con, len);

	if (!buf)
		return -ENOMEM;
	vl_add_in_kvec(con, buf, len);
	return 0;
}

/* The remainder may be a large kvmalloc() buffer: a latent bug. */
void vl_decrypt_control_remainder(struct vl_con *con, struct scatterlist *sgs)
{
	sg_set_buf(&sgs[0], con->in_kvecs[0].iov_base, con->in_kvecs[0].iov_len); /* expect: vmalloc-dma-map */
}

/*
 * out_kvecs[].iov_base: vzalloc() memory or the kmalloc()ed out_buf; the
 * code may pick the sink by which one it stored (a tag, a path): "possible".
 */
int vl_prepare_write(struct vl_con *con, int len, bool big)
{
	if (big) {
		con->out_kvecs[0].iov_base = vzalloc(len);
	} else {
		con->out_buf = kmalloc(len, GFP_NOIO);
		con->out_kvecs[0].iov_base = con->out_buf;
	}
	return con->out_kvecs[0].iov_base ? 0 : -ENOMEM;
}

void vl_encrypt_out(struct vl_con *con, struct scatterlist *sgs)
{
	sg_set_buf(&sgs[0], con->out_kvecs[0].iov_base, 16); /* expect-possible: vmalloc-dma-map */
}
