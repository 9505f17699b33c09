/* test_main.c: runs the kopa_audio unit tests (the list is in
 * audio_test.h). */
#include "audio_test.h"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_distinct),
        cmocka_unit_test(test_packet_check_sizes),
        cmocka_unit_test(test_packet_check_layout),
        cmocka_unit_test(test_mix_saturates),
        cmocka_unit_test(test_mix_level),
        cmocka_unit_test(test_jitter_in_order_and_reorder),
        cmocka_unit_test(test_jitter_late_duplicate),
        cmocka_unit_test(test_jitter_gap_and_stop),
        cmocka_unit_test(test_jitter_overflow_and_resync),
        cmocka_unit_test(test_jitter_wraps_and_trims),
        cmocka_unit_test(test_jitter_stall_then_phrases),
        cmocka_unit_test(test_jitter_losses_not_talkspurts),
        cmocka_unit_test(test_mixer_api_errors),
        cmocka_unit_test(test_mixer_nobody_hears_themselves),
        cmocka_unit_test(test_mixer_shared_pointer),
        cmocka_unit_test(test_mixer_top_k),
        cmocka_unit_test(test_mixer_hysteresis),
        cmocka_unit_test(test_mixer_muted_offstage),
        cmocka_unit_test(test_mixer_clipping),
        cmocka_unit_test(test_mixer_pair_forwards),
        cmocka_unit_test(test_mixer_single_speaker_forwards),
        cmocka_unit_test(test_mixer_invalid_packets),
        cmocka_unit_test(test_mixer_rate_limit),
        cmocka_unit_test(test_mixer_loss_concealment),
        cmocka_unit_test(test_mixer_loss_keeps_stream),
        cmocka_unit_test(test_mixer_silence_emits_nothing),
        cmocka_unit_test(test_mixer_per_listener_mode),
        cmocka_unit_test(test_mixer_remove_active),
        cmocka_unit_test(test_mixer_encode_clock),
        cmocka_unit_test(test_mixer_clock_not_read_without_encodes),
        cmocka_unit_test(test_coord_broadcast),
        cmocka_unit_test(test_coord_listen_in),
        cmocka_unit_test(test_recorder_ogg),
        cmocka_unit_test(test_recorder_errors),
        cmocka_unit_test(test_recorder_empty),
    };
    return cmocka_run_group_tests_name("unit_audio", tests, NULL, NULL);
}
