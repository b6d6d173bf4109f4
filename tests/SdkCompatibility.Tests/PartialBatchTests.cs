namespace Personalization.SdkCompatibility.Tests;

/// <summary>Both unmodified SDKs sending a batch that holds one message Ingestion cannot take (see node/calls.js).</summary>
public class PartialBatchTests
{
    [TestCase(NodeSdks.Segment)]
    [TestCase(NodeSdks.Rudder)]
    public async Task A_batch_with_one_invalid_message_is_taken_in_part_and_nothing_is_retried_or_dropped(string sdk)
    {
        var publisher = IngestionUnderTest.NewPublisher();
        await using var recorder = await SdkTrafficRecorder.StartAsync(IngestionUnderTest.Ingestion.BaseAddress);

        var run = await NodeSdks.RunAsync(sdk, recorder.BaseAddress, publisher.WriteKey, withInvalid: true);

        await Delivery.AssertTakenInPartAsync(run, publisher, recorder.Requests);
    }
}
