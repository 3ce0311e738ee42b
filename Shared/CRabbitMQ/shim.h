// A thin C shim over rabbitmq-c (librabbitmq-dev) so Swift can call it safely.
//
// - Debian 12 ships rabbitmq-c 0.11 with the headers at the top of the include path; 0.12 moved them under
//   `rabbitmq-c/`. Both layouts are accepted.
// - `amqp_login` is variadic, which Swift cannot call: `avtal_amqp_login_plain` wraps it for PLAIN auth.
// - Method ids and property flags are macros with casts, which Swift does not import: they are re-exported
//   here as typed constants.
#ifndef AVTAL_CRABBITMQ_SHIM_H
#define AVTAL_CRABBITMQ_SHIM_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#endif

static inline amqp_rpc_reply_t avtal_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                                      int frame_max, int heartbeat, const char *user,
                                                      const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

static const amqp_method_number_t AVTAL_AMQP_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_GET_OK = AMQP_BASIC_GET_OK_METHOD;
static const amqp_method_number_t AVTAL_AMQP_BASIC_GET_EMPTY = AMQP_BASIC_GET_EMPTY_METHOD;
static const amqp_method_number_t AVTAL_AMQP_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t AVTAL_AMQP_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t AVTAL_AMQP_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t AVTAL_AMQP_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;

static const amqp_flags_t AVTAL_AMQP_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_CORRELATION_ID = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_TIMESTAMP = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t AVTAL_AMQP_FLAG_TYPE = AMQP_BASIC_TYPE_FLAG;

static const uint8_t AVTAL_AMQP_FRAME_METHOD = AMQP_FRAME_METHOD;
static const uint8_t AVTAL_AMQP_FRAME_HEADER = AMQP_FRAME_HEADER;
static const uint8_t AVTAL_AMQP_FRAME_BODY = AMQP_FRAME_BODY;

static const uint8_t AVTAL_AMQP_DELIVERY_PERSISTENT = AMQP_DELIVERY_PERSISTENT;

#endif
